"""iCalendar (RFC 5545) documents, written by the `icalendar` library.

Updates keep an event's UID and raise its SEQUENCE (the challenge's revision), so a calendar
that imported the event replaces it instead of adding a second one; a cancelled event keeps its
UID too, with STATUS:CANCELLED.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from icalendar import Calendar
from icalendar import Event as IcsEvent

from app.kit.orm import utcnow

PRODUCT_ID = "-//Peer-learning challenges//Calendars//EN"
MEDIA_TYPE = "text/calendar; charset=utf-8"


@dataclass(frozen=True, slots=True)
class Event:
    uid: str
    summary: str
    start: datetime
    sequence: int
    url: str | None = None
    description: str | None = None
    end: datetime | None = None
    cancelled: bool = False


def document(events: Iterable[Event], *, name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    # Shown as the calendar's name by the clients that read it (Apple, Google, Outlook).
    calendar.add("x-wr-calname", name)
    stamp = utcnow()
    for event in events:
        entry = IcsEvent()
        entry.add("uid", event.uid)
        entry.add("dtstamp", stamp)
        entry.add("dtstart", event.start)
        # A deadline is a moment: without DTEND a timed event ends when it starts (RFC 5545,
        # 3.6.1), which every client shows as a point in the day.
        if event.end is not None:
            entry.add("dtend", event.end)
        entry.add("sequence", event.sequence)
        entry.add("summary", event.summary)
        if event.description:
            entry.add("description", event.description)
        if event.url:
            entry.add("url", event.url)
        entry.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
        calendar.add_component(entry)
    body: bytes = calendar.to_ical()
    return body
