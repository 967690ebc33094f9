"""Abuse limits on the app database: counters every worker shares, 429 with Retry-After."""
