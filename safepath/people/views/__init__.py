"""Person record pages: the record, its edit pages, risk assessment, merges and risk thresholds."""
