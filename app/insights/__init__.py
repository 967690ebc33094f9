"""Aggregate insights for programme leads and HR: fixed breakdowns, never about one person."""
