"""JSON shapes of the privacy API."""

from __future__ import annotations

import msgspec


class ErasureOut(msgspec.Struct):
    """What erasing a person removed or anonymised: rows per table."""

    person_id: int
    rows: dict[str, int]
