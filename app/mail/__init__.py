"""Outgoing mail as people and administrators see it: the development outbox."""
