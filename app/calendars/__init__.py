"""Calendars: phase dates as iCalendar (RFC 5545), a download per challenge and a private feed."""
