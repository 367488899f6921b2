"""Evidence that does not rest on the archive's word: proofs checked offline, without HTTP."""
