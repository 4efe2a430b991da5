"""`monaco lint`: rules that make alerting habits properties of the specs (runbooks, paging, ranges, routes)."""
