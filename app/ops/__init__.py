"""Operations: backups and restores of both databases, Prometheus metrics."""
