"""Evidence a third party can check without trusting the archive: run manifests and timestamps."""
