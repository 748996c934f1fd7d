"""Small utilities shared by the stages: safe file writes (`files`), cache memos (`memo`)
and the digest of the tool's own code (`code`)."""
