"""Evidence that outsiders check with their own tools, without trusting the archive: WARC and
WACZ export, run manifests and time-stamps, platform signatures checked offline."""
