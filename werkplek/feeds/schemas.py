"""Feed API shapes: subscription tokens and the result of an absence import."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from werkplek.feeds.models import FeedScope


class FeedScopeIn(msgspec.Struct, forbid_unknown_fields=True):
    """What to subscribe to: ``person`` (bookings and work locations), ``team`` (work
    locations of its members), ``site`` (its meeting and resident rooms) or ``space``."""

    kind: FeedScope
    id: int


class FeedTokenIn(msgspec.Struct, forbid_unknown_fields=True):
    scope: FeedScopeIn


class FeedScopeOut(msgspec.Struct):
    kind: FeedScope
    id: int
    name: str


class FeedTokenOut(msgspec.Struct):
    id: int
    scope: FeedScopeOut
    created_at: datetime
    last_used_at: datetime | None
    revoked: bool


class FeedTokenCreated(msgspec.Struct):
    """The token and its URLs; shown only in this answer, never again."""

    id: int
    scope: FeedScopeOut
    created_at: datetime
    token: str
    url: str
    webcal_url: str


class ImportedPart(msgspec.Struct):
    date: date
    day_part: str


class SkippedDay(msgspec.Struct):
    """A day the import left alone; ``reason`` is a stable code, ``message`` says why."""

    date: date
    reason: str
    message: str


class PresenceImportOut(msgspec.Struct):
    """``events``: the events in the file; ``free_events``: those of them left out as free
    time (timed and marked free, or "working elsewhere"; all-day events always count)."""

    dry_run: bool
    events: int
    free_events: int
    marked: list[ImportedPart]
    skipped: list[SkippedDay]
