"""Errors of the search domain."""

from app.errors import NotFound


class SearchItemNotFound(
    NotFound, code="search_item_not_found", title="No published item has this reference"
): ...
