"""JSON shapes of the system API."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

import msgspec


class JobStatusOut(msgspec.Struct):
    """A background job and its last run; times in Europe/Amsterdam."""

    job: str
    description: str
    last_started: datetime | None
    last_finished: datetime | None
    last_succeeded: datetime | None
    last_failed: datetime | None
    #: The last failure's error (its type and message), also after a later success.
    last_error: str | None
    failures_in_a_row: int
    #: No run began within three scheduler intervals (at least five minutes), or none yet.
    late: bool


class HealthOut(msgspec.Struct):
    """What ``GET /health`` answers: ``busy`` when every pooled connection is in use (the
    instance works, it is only busy), ``unavailable`` with 503 when the database cannot be
    reached."""

    status: Literal["ok", "unavailable"]
    database: Literal["ok", "busy", "unavailable"]
