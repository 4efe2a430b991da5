"""`monaco docs`: runbook pages per paging alert and postmortem templates per SLO, rendered from the IR (pure) and written without overwriting."""
