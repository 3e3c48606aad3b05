"""Expected visitor API shapes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

import msgspec

#: The longest name and organisation kept for a visitor.
MAX_VISITOR_TEXT = 200


class VisitorIn(msgspec.Struct, forbid_unknown_fields=True):
    """Someone from outside expected at a room booking: a name as reception will ask for
    it, and optionally who they come for (a company, a partner organisation). Nothing
    more is kept: no e-mail address, no phone number."""

    name: Annotated[str, msgspec.Meta(max_length=MAX_VISITOR_TEXT)]
    organisation: Annotated[str, msgspec.Meta(max_length=MAX_VISITOR_TEXT)] = ""


class VisitorOut(msgspec.Struct):
    id: int
    booking_id: int
    name: str
    organisation: str
    created_at: datetime
    arrived_at: datetime | None
    left_at: datetime | None


class ExpectedVisitorOut(msgspec.Struct):
    """A visitor on reception's list: when and where they are expected, and for whom."""

    id: int
    booking_id: int
    name: str
    organisation: str
    arrived_at: datetime | None
    left_at: datetime | None
    local_start: datetime
    local_end: datetime
    site_id: int
    space_id: int
    space_name: str
    host_id: int | None
    host_name: str | None


class VisitorsDayFilter(msgspec.Struct):
    """The site and day of reception's list (the main site and today unless given)."""

    site: int | None = None
    date: date | None = None
