"""Roll call API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

#: The longest name kept for someone added at the assembly point.
MAX_NAME = 200


class RollCallEntryOut(msgspec.Struct):
    """Someone expected in the building: where Werkplek thought they were (floor, and the
    space unless they hide their desk), a number to call and how Werkplek knew
    (``checked_in``, ``booked``, ``planned``, ``visitor``, or ``added`` at the assembly
    point)."""

    id: int
    name: str
    floor: str
    place: str
    phone: str
    source: str
    accounted_for: bool
    marked_at: datetime | None
    marked_by_name: str | None


class RollCallOut(msgspec.Struct):
    id: int
    site_id: int
    site_name: str
    started_at: datetime
    started_by_name: str | None
    closed_at: datetime | None
    closed_by_name: str | None
    total: int
    accounted_for: int
    entries: list[RollCallEntryOut]


class MarkIn(msgspec.Struct, forbid_unknown_fields=True):
    """Whether the person of an entry has been seen at the assembly point."""

    accounted_for: bool


class AddPersonIn(msgspec.Struct, forbid_unknown_fields=True):
    """Someone not on the list, seen at the assembly point: a name as they give it."""

    name: Annotated[str, msgspec.Meta(max_length=MAX_NAME)]
