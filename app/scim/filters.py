"""The one filter identity providers send before they create someone (RFC 7644 §3.4.2.2):
`userName eq "<value>"`. Entra ID and Okta send nothing else to find a user, so a full
filter grammar (and, or, not, sub-attributes, other operators) would only be code that no
client exercises; anything else is refused with `invalidFilter`.

Grammar (attribute names and `eq` compare without case, as RFC 7643 §2.1 says):

    filter    = *WSP attrPath 1*WSP "eq" 1*WSP string *WSP
    attrPath  = [ "urn:ietf:params:scim:schemas:core:2.0:User:" ] "userName"
    string    = a JSON string (RFC 8259 §7: "...", with backslash escapes)
"""

from __future__ import annotations

import json
import re

from app.scim.errors import InvalidFilter

_USER_NAME_EQ = re.compile(
    r'^\s*(?:urn:ietf:params:scim:schemas:core:2\.0:User:)?userName\s+eq\s+("(?:[^"\\]|\\.)*")\s*$',
    re.IGNORECASE,
)
MAX_FILTER_LENGTH = 400


def user_name_wanted(text: str) -> str:
    """The value of a `userName eq "..."` filter; InvalidFilter for any other filter."""
    match = _USER_NAME_EQ.match(text) if len(text) <= MAX_FILTER_LENGTH else None
    if match is None:
        raise InvalidFilter()
    try:
        value = json.loads(match.group(1))
    except ValueError as exc:
        raise InvalidFilter("The filter's value is not a valid JSON string.") from exc
    if not isinstance(value, str) or not value:
        raise InvalidFilter()
    return value
