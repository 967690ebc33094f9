"""One search over the library: documents handed over by their domains (lessons, ideas),
indexed with the database's own full-text engine (SQLite FTS5, PostgreSQL tsvector)."""
