"""JSON shapes of the audit log API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

import msgspec


class PersonRef(msgspec.Struct):
    id: int
    name: str


class AuditFilter(msgspec.Struct, kw_only=True):
    actor_id: int | None = None
    object_type: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    object_id: Annotated[str, msgspec.Meta(max_length=40)] | None = None
    since: date | None = None
    until: date | None = None
    limit: Annotated[int, msgspec.Meta(ge=1, le=500)] = 50
    offset: Annotated[int, msgspec.Meta(ge=0)] = 0


class AuditEventOut(msgspec.Struct):
    id: int
    at: datetime
    actor: PersonRef | None
    action: str
    object_type: str
    object_id: str
    details: dict[str, Any]


class AuditPage(msgspec.Struct):
    total: int
    limit: int
    offset: int
    events: list[AuditEventOut]
