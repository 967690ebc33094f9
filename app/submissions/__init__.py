"""One submission per team: a versioned draft, then a locked final."""
