"""The plan's own plumbing, shared by every capability: plan JSON in and out (with problems
instead of exceptions), edits of one field by its dotted path, and the three-way merge of two
sessions' edits. Uses models/ only."""
