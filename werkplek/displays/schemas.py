"""Display link API shapes."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import msgspec

from werkplek.displays.models import DisplayKind


class DisplayLinkIn(msgspec.Struct, forbid_unknown_fields=True):
    """A door display for the meeting or resident room ``space_id`` of the site, or
    without ``space_id`` a lobby screen of all the site's rooms. ``label`` says where the
    tablet hangs ("Deur 2.14", "Hal begane grond")."""

    site_id: int
    label: Annotated[str, msgspec.Meta(max_length=120)]
    space_id: int | None = None


class DisplayLinkOut(msgspec.Struct):
    id: int
    kind: DisplayKind
    site_id: int
    space_id: int | None
    space_name: str | None
    label: str
    created_by_id: int | None
    created_at: datetime
    last_seen_at: datetime | None
    revoked_at: datetime | None


class DisplayLinkCreated(msgspec.Struct):
    """The link with its token and URL; shown only in this answer, never again."""

    link: DisplayLinkOut
    token: str
    url: str
