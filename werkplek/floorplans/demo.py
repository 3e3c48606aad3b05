"""Plans for the demo: a simple SVG drawn from a floor's zones and spaces, with every
space placed on it."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from html import escape

from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.floorplans.images import check_plan_file
from werkplek.floorplans.models import FloorPlan
from werkplek.rooms.models import Floor, Space, SpaceKind

WIDTH, HEIGHT = 1000, 600
DESK_BAND = (70, 430)  # y range of the zones with desks
ROOM_BAND = (460, 580)  # y range of the rooms along the bottom
DESKS_PER_ROW = 4


def draw_floor(
    floor: Floor, spaces: Sequence[Space], zone_names: dict[int, str]
) -> tuple[bytes, dict[int, tuple[float, float]]]:
    """An SVG of the floor (walls, zones, rooms) and each space's place as fractions."""
    desks = [s for s in spaces if SpaceKind(s.kind).is_desk]
    rooms = [s for s in spaces if not SpaceKind(s.kind).is_desk]
    zones: dict[str, list[Space]] = {}
    for desk in desks:
        zones.setdefault(zone_names.get(desk.zone_id or 0, ""), []).append(desk)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}">',
        f"<title>{escape(floor.name)}</title>",
        f'<rect x="10" y="10" width="{WIDTH - 20}" height="{HEIGHT - 20}" fill="#fbfbf8" '
        'stroke="#4a5360" stroke-width="6"/>',
        f'<text x="30" y="48" font-size="26" font-family="sans-serif" fill="#1b1f24">'
        f"{escape(floor.name)}</text>",
    ]
    places: dict[int, tuple[float, float]] = {}
    column = (WIDTH - 40) / max(len(zones), 1)
    for index, (zone, members) in enumerate(sorted(zones.items())):
        left = 20 + index * column
        top, bottom = DESK_BAND
        parts.append(
            f'<rect x="{left + 10:.0f}" y="{top:.0f}" width="{column - 20:.0f}" '
            f'height="{bottom - top:.0f}" fill="#eef3f8" stroke="#9aa5b1" stroke-width="2"/>'
        )
        if zone:
            parts.append(
                f'<text x="{left + 22:.0f}" y="{top + 26:.0f}" font-size="18" '
                f'font-family="sans-serif" fill="#4a5360">{escape(zone)}</text>'
            )
        rows = (len(members) + DESKS_PER_ROW - 1) // DESKS_PER_ROW
        step_x = (column - 40) / DESKS_PER_ROW
        step_y = (bottom - top - 60) / max(rows, 1)
        for number, desk in enumerate(members):
            x = left + 20 + step_x * (number % DESKS_PER_ROW + 0.5)
            y = top + 50 + step_y * (number // DESKS_PER_ROW + 0.5)
            parts.append(
                f'<rect x="{x - 22:.0f}" y="{y - 14:.0f}" width="44" height="28" fill="#d9d4c7" '
                'stroke="#8c8577"/>'
            )
            places[desk.id] = (round(x / WIDTH, 4), round(y / HEIGHT, 4))
    width = (WIDTH - 40) / max(len(rooms), 1)
    for index, room in enumerate(rooms):
        left = 20 + index * width
        top, bottom = ROOM_BAND
        parts.append(
            f'<rect x="{left + 10:.0f}" y="{top:.0f}" width="{width - 20:.0f}" '
            f'height="{bottom - top:.0f}" fill="#f3efe4" stroke="#9aa5b1" stroke-width="2"/>'
        )
        parts.append(
            f'<text x="{left + 22:.0f}" y="{top + 26:.0f}" font-size="18" '
            f'font-family="sans-serif" fill="#4a5360">{escape(room.name)}</text>'
        )
        places[room.id] = (round((left + width / 2) / WIDTH, 4), round((top + 80) / HEIGHT, 4))
    parts.append("</svg>")
    return "".join(parts).encode(), places


async def add_demo_plans(
    session: AsyncSession,
    now: datetime,
    floors: Sequence[Floor],
    spaces: Sequence[Space],
    zone_names: dict[int, str],
) -> None:
    """Give each floor a drawn plan and place its spaces (the caller flushes)."""
    for floor in floors:
        on_floor = sorted((s for s in spaces if s.floor_id == floor.id), key=lambda s: s.name)
        payload, places = draw_floor(floor, on_floor, zone_names)
        checked = check_plan_file(payload, len(payload))
        session.add(
            FloorPlan(
                floor_id=floor.id,
                content_type=checked.content_type,
                data=checked.data,
                sha256=hashlib.sha256(checked.data).hexdigest(),
                size_bytes=len(checked.data),
                width=checked.width,
                height=checked.height,
                uploaded_at=now,
            )
        )
        for space in on_floor:
            space.pos_x, space.pos_y = places[space.id]
