"""What the webhooks API accepts and returns."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from werkplek.webhooks.models import DeliveryStatus


class EndpointIn(msgspec.Struct, forbid_unknown_fields=True):
    """A receiving URL (http or https) and the events it wants. Without a ``secret`` one is
    generated; either way it is shown only in the answer to this request."""

    url: Annotated[str, msgspec.Meta(max_length=2000)]
    events: list[str]
    description: Annotated[str, msgspec.Meta(max_length=200)] = ""
    secret: Annotated[str, msgspec.Meta(max_length=200)] | None = None


class EndpointOut(msgspec.Struct):
    id: int
    url: str
    description: str
    events: list[str]
    active: bool
    created_at: datetime


class EndpointCreated(EndpointOut):
    """As ``EndpointOut``, plus the signing secret: shown this once."""

    secret: str = ""


class DeliveryOut(msgspec.Struct):
    id: int
    endpoint_id: int
    event: str
    event_id: str
    status: DeliveryStatus
    attempts: int
    created_at: datetime
    last_attempt_at: datetime | None
    next_attempt_at: datetime | None
    response_status: int | None
    last_error: str | None
    delivered_at: datetime | None
