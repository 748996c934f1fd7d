"""Small utilities shared by the stages: safe file writes (`files`), cache memos (`memo`),
the digest of the tool's own code (`code`) and text folding, transliteration, slugs and name
comparison (`text`)."""
