"""Errors of the insights domain."""

from app.errors import Forbidden


class InsightsForbidden(
    Forbidden, code="insights_forbidden", title="Insights are for facilitators and admins"
): ...
