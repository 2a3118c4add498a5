"""Member data: reading spreadsheets and chat exports into the canonical frames, the analysis and
its metrics, charts, pseudonyms, sample data and what the data page shows. May use the shared
basics only (never plan/, sop/ or export/)."""
