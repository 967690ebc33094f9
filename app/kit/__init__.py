"""Small helpers shared by every domain package (no domain rules, no identity)."""
