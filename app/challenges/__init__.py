"""Challenges, their phases, and pseudonymous participation."""
