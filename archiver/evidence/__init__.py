"""Evidence in the formats outsiders check with their own tools: WARC, WACZ, time-stamps, proofs."""
