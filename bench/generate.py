"""Deterministic bench data: a large municipality, one year of bookings, work locations and
field visits.

Default size: 5,000 people in about 200 teams, 3,000 desks, 300 rooms and 10 sites, and
the 365 days up to the end of the booking horizon (today + 13 days). The same seed and the
same ``--today`` give the same rows. Rows are built in memory and loaded with bulk inserts
(SQLAlchemy Core ``insert()`` with lists of dicts; COPY through asyncpg for the large tables
on PostgreSQL) into a freshly migrated database.

Shape that the load test relies on:
- site 1 is the largest office (a third of the desks, on floors of at most 500 desks, and
  half of the rooms); team 1 has 50 members;
- the last 10 % of the people (the *load pool*) hold no desk bookings from today on, so the
  load test can book for them;
- person 1 is an admin and facilities, persons 2-51 (team 1) include the KCC agents.

    python bench/generate.py sqlite+aiosqlite:///bench.db
    python bench/generate.py postgresql+asyncpg://postgres@127.0.0.1/werkplek_bench --scale 0.1
"""

from __future__ import annotations

import argparse
import asyncio
import random
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from typing import Any

import holidays
from sqlalchemy import func, insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection

from werkplek.clock import AMSTERDAM, SystemClock, local_today
from werkplek.config import _normalise_database_url
from werkplek.db import Base, create_engine
from werkplek.migrate import upgrade
from werkplek.models import import_all_models

Row = dict[str, Any]

OPENS, SPLIT, CLOSES = clock_time(8, 0), clock_time(13, 0), clock_time(18, 0)
VISIT_STARTS, VISIT_ENDS = clock_time(10, 0), clock_time(11, 30)
LOAD_POOL_FRACTION = 0.1
BIG_TEAM_SIZE = 50
TEAM_SIZE = 25
FLOOR_DESKS_MAX = 500
# Share of desks (and of rooms, after site 1's half) per site; site 1 is the largest.
SITE_WEIGHTS = (0.34, 0.18, 0.12, 0.08, 0.08, 0.06, 0.05, 0.04, 0.03, 0.02)
SITE_ROOM_SHARE_OF_FIRST = 0.5
# Desk occupancy per weekday (Monday first).
OCCUPANCY = (0.45, 0.65, 0.5, 0.65, 0.3)

SITE_NAMES = (
    "Stadhuis",
    "Stadskantoor Noord",
    "Satelliet Havenkwartier",
    "Satelliet Zuid",
    "Satelliet Oost",
    "Satelliet West",
    "Satelliet Centrum",
    "Uitvalsbasis Buitendienst",
    "Uitvalsbasis Novatec",
    "Dorpshuis De Linde",
)
SITE_KINDS = (
    "central_office",
    "central_office",
    "satellite",
    "satellite",
    "satellite",
    "satellite",
    "satellite",
    "field_base",
    "field_base",
    "community_venue",
)
DEPARTMENTS = (
    "Burgerzaken",
    "Vergunningen",
    "Belastingen",
    "Sociaal Domein",
    "Jeugd",
    "WMO",
    "Openbare Ruimte",
    "Financien",
    "ICT",
    "HRM",
    "Communicatie",
    "Juridische Zaken",
    "Ruimtelijke Ordening",
    "Handhaving",
    "Inkoop",
    "Facilitair",
    "Klantcontact",
    "Werk en Inkomen",
    "Archief",
    "Bestuurszaken",
)
TOPICS = (
    "paspoort",
    "rijbewijs",
    "verhuizing",
    "omgevingsvergunning",
    "kapvergunning",
    "WMO",
    "bijstand",
    "jeugdhulp",
    "parkeervergunning",
    "afval",
    "OZB",
    "hondenbelasting",
    "evenementen",
    "subsidie",
    "schuldhulp",
    "leerlingenvervoer",
    "huwelijk",
    "geboorte",
    "overlijden",
    "naturalisatie",
    "bestemmingsplan",
    "bouwtoezicht",
    "openbare verlichting",
    "speeltuinen",
    "groenonderhoud",
    "riolering",
    "marktvergunning",
    "horeca",
    "kwijtschelding",
    "inburgering",
)
FIRST_NAMES = [
    "Anna",
    "Bram",
    "Daan",
    "Eva",
    "Femke",
    "Gijs",
    "Hanna",
    "Iris",
    "Jan",
    "Joost",
    "Julia",
    "Kees",
    "Lars",
    "Lisa",
    "Lotte",
    "Maaike",
    "Marco",
    "Mark",
    "Noah",
    "Noor",
    "Olga",
    "Pieter",
    "Ruben",
    "Sanne",
    "Sara",
    "Sem",
    "Sophie",
    "Thijs",
    "Tim",
    "Vera",
    "Wout",
    "Yara",
    "Zoe",
    "Ahmed",
    "Fatima",
    "Mohamed",
    "Yusuf",
    "Ayse",
    "Emre",
    "Priya",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "van Dijk",
    "Bakker",
    "Janssen",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Heuvel",
    "van der Veen",
    "van den Broek",
    "de Bruijn",
    "de Bruin",
    "van der Heijden",
    "Schouten",
    "Yilmaz",
    "Kaya",
    "El Amrani",
]
AREAS = ("Oudeschild", "Den Hoorn", "De Koog", "Oosterend", "Havenwijk", "Zuiderpark")
ROOM_TITLES = ("Overleg", "Teamoverleg", "Inwonergesprek", "Sollicitatie", "Werksessie")
AMENITY_SETS = ((), ("screen",), ("screen", "docking"), ("screen", "docking", "sit_stand"))


@dataclass(frozen=True)
class Size:
    people: int = 5000
    desks: int = 3000
    rooms: int = 300
    sites: int = 10
    days: int = 365

    def scaled(self, factor: float) -> Size:
        return Size(
            people=max(60, round(self.people * factor)),
            desks=max(20, round(self.desks * factor)),
            rooms=max(10, round(self.rooms * factor)),
            sites=self.sites,
            days=self.days,
        )


@dataclass(frozen=True)
class Dataset:
    today: date
    first_day: date
    last_day: date
    tables: dict[str, list[Row]]
    load_pool: range  # person ids without desk bookings from today on


def _split(total: int, weights: Sequence[float]) -> list[int]:
    """``total`` spread over ``weights`` in whole numbers, the remainder to the first."""
    shares = [int(total * w / sum(weights)) for w in weights]
    shares[0] += total - sum(shares)
    return shares


def _utc(day: date, at: clock_time) -> datetime:
    return datetime.combine(day, at, tzinfo=AMSTERDAM).astimezone(UTC)


class _Ids:
    def __init__(self) -> None:
        self.next: dict[str, int] = {}

    def __call__(self, table: str) -> int:
        value = self.next.get(table, 1)
        self.next[table] = value + 1
        return value


def build(size: Size, seed: int, today: date) -> Dataset:
    """Every row of the data set, deterministic for (size, seed, today)."""
    rng = random.Random(seed)
    ids = _Ids()
    t: dict[str, list[Row]] = {
        name: []
        for name in (
            "persons",
            "person_roles",
            "person_topics",
            "teams",
            "team_memberships",
            "sites",
            "opening_hours",
            "floors",
            "spaces",
            "weekly_patterns",
            "bookings",
            "work_locations",
            "field_visits",
            "field_visitors",
        )
    }
    created = datetime(today.year - 2, 1, 1, 9, 0, tzinfo=UTC)
    last_day = today + timedelta(days=13)
    first_day = last_day - timedelta(days=size.days - 1)
    site_count = min(size.sites, len(SITE_NAMES))
    weights = SITE_WEIGHTS[:site_count]

    # --- sites, floors, spaces -----------------------------------------------------------
    desks_per_site = _split(size.desks, weights)
    first_rooms = round(size.rooms * SITE_ROOM_SHARE_OF_FIRST) if site_count > 1 else size.rooms
    rooms_per_site = [first_rooms, *_split(size.rooms - first_rooms, weights[1:])][:site_count]
    desks_by_site: dict[int, list[int]] = {}
    rooms_by_site: dict[int, list[tuple[int, int]]] = {}
    for index in range(site_count):
        site_id = ids("sites")
        t["sites"].append(
            {
                "id": site_id,
                "name": SITE_NAMES[index],
                "kind": SITE_KINDS[index],
                "address": f"Marktplein {index + 1}",
                "city": "Werkstad",
                "timezone": "Europe/Amsterdam",
                "day_split": SPLIT,
                "max_days_ahead": 14,
                "capacity_cap_percent": None,
                "observe_public_holidays": True,
                "active": True,
            }
        )
        for weekday in range(5):
            t["opening_hours"].append(
                {"site_id": site_id, "weekday": weekday, "opens": OPENS, "closes": CLOSES}
            )
        floor_size = FLOOR_DESKS_MAX if index == 0 else 150
        desks, rooms = desks_per_site[index], rooms_per_site[index]
        floor_count = max(1, -(-desks // floor_size))
        floor_ids = []
        for level in range(floor_count):
            floor_id = ids("floors")
            floor_ids.append(floor_id)
            t["floors"].append(
                {"id": floor_id, "site_id": site_id, "name": f"Verdieping {level}", "level": level}
            )
        desks_by_site[site_id] = []
        rooms_by_site[site_id] = []
        for number in range(desks):
            space_id = ids("spaces")
            desks_by_site[site_id].append(space_id)
            t["spaces"].append(
                _space(
                    _last_change(created, today, space_id),
                    space_id,
                    site_id,
                    floor_ids[number // floor_size],
                    f"Flexplek {number + 1}",
                    "quiet_desk" if number % 10 == 9 else "desk",
                    1,
                    list(AMENITY_SETS[number % len(AMENITY_SETS)]),
                )
            )
        for number in range(rooms):
            space_id = ids("spaces")
            resident = number % 5 == 4
            capacity = 2 if resident else (4, 6, 8, 12, 20)[number % 5]
            rooms_by_site[site_id].append((space_id, capacity))
            t["spaces"].append(
                _space(
                    _last_change(created, today, space_id),
                    space_id,
                    site_id,
                    floor_ids[number % floor_count],
                    f"{'Spreekkamer' if resident else 'Vergaderzaal'} {number + 1}",
                    "resident_room" if resident else "meeting_room",
                    capacity,
                    ["screen", "video"] if capacity >= 8 else ["screen"],
                    ["alarm_button", "second_exit"] if resident else [],
                )
            )

    # --- teams and people ----------------------------------------------------------------
    team_sizes = [min(BIG_TEAM_SIZE, size.people)]
    while sum(team_sizes) < size.people:
        team_sizes.append(min(TEAM_SIZE, size.people - sum(team_sizes)))
    home_site: dict[int, int] = {}
    people_by_site: dict[int, list[int]] = {site["id"]: [] for site in t["sites"]}
    site_ids = [site["id"] for site in t["sites"]]
    person_id = 0
    for team_index, team_size in enumerate(team_sizes):
        team_id = ids("teams")
        department = DEPARTMENTS[team_index % len(DEPARTMENTS)]
        t["teams"].append(
            {
                "id": team_id,
                "name": "Klantcontactcentrum" if team_id == 1 else f"{department} {team_id}",
                "description": "",
            }
        )
        site_id = 1 if team_id == 1 else rng.choices(site_ids, weights=weights)[0]
        for member in range(team_size):
            person_id = ids("persons")
            home_site[person_id] = site_id
            people_by_site[site_id].append(person_id)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            t["persons"].append(
                {
                    "id": person_id,
                    "email": f"p{person_id}@werkstad.example",
                    "name": f"{first} {last}",
                    "password_hash": None,
                    "phone": f"0222-{person_id:06d}",
                    "mobile": f"06-{rng.randrange(10**8):08d}" if person_id % 3 else None,
                    "chat_handle": f"@p{person_id}",
                    "language": "nl" if person_id % 7 else "en",
                    "active": True,
                    "hide_desk": person_id % 50 == 0,
                    # the colleague before them in the team stands in for three in four
                    "backup_id": person_id - 1 if member and person_id % 4 else None,
                    "created_at": created,
                    "updated_at": _last_change(created, today, person_id),
                }
            )
            t["team_memberships"].append(
                {
                    "person_id": person_id,
                    "team_id": team_id,
                    "is_lead": member == 0,
                    "updated_at": created,
                }
            )
            roles = ["employee"]
            if member == 0:
                roles.append("teamlead")
            if team_id == 1 and member % 2 == 1:
                roles.append("kcc")
            if person_id == 1:
                roles += ["facilities", "admin"]
            t["person_roles"] += [{"person_id": person_id, "role": role} for role in roles]
            for topic in rng.sample(TOPICS, rng.randrange(4)):
                t["person_topics"].append({"person_id": person_id, "topic": topic})
    load_pool = range(person_id - int(person_id * LOAD_POOL_FRACTION) + 1, person_id + 1)

    # --- weekly patterns ------------------------------------------------------------------
    for pid in range(1, person_id + 1):
        office_days = set(rng.sample(range(4), 2))
        for weekday in range(5):
            kind = "office" if weekday in office_days else "home"
            site = home_site[pid] if kind == "office" else None
            t["weekly_patterns"].append(
                {
                    "person_id": pid,
                    "weekday": weekday,
                    "morning_kind": kind,
                    "morning_site_id": site,
                    "morning_area": None,
                    "afternoon_kind": kind,
                    "afternoon_site_id": site,
                    "afternoon_area": None,
                    "reachable_from": clock_time(8, 30),
                    "reachable_until": clock_time(17, 0),
                    "updated_at": created,
                }
            )

    # --- bookings and work locations, day by day ------------------------------------------
    public = holidays.country_holidays("NL", years=range(first_day.year, last_day.year + 1))
    field_bases = [s["id"] for s in t["sites"] if s["kind"] == "field_base"] or site_ids[:1]
    day = first_day
    while day <= last_day:
        if day.weekday() < 5 and day not in public:
            booked_today: set[int] = set()
            for site_id in site_ids:
                booked_today |= _desk_day(
                    t, ids, rng, day, today, site_id, desks_by_site, people_by_site, load_pool
                )
                _room_day(
                    t,
                    ids,
                    rng,
                    day,
                    today,
                    rooms_by_site[site_id],
                    people_by_site,
                    site_id,
                    person_id,
                )
            _work_location_day(
                t, ids, rng, day, today, person_id, booked_today, home_site, field_bases
            )
        day += timedelta(days=1)
    return Dataset(today, first_day, last_day, t, load_pool)


def _last_change(created: datetime, today: date, number: int) -> datetime:
    """When a person or space set up at ``created`` last changed: spread over the time
    since, as people join and move and facilities rename and refit, the same each run."""
    since = datetime.combine(today, datetime.min.time(), UTC) - created
    return created + timedelta(minutes=number * 7919 % int(since.total_seconds() // 60))


def _space(
    changed_at: datetime,
    space_id: int,
    site_id: int,
    floor_id: int,
    name: str,
    kind: str,
    capacity: int,
    amenities: list[str],
    safety: list[str] | None = None,
) -> Row:
    return {
        "id": space_id,
        "site_id": site_id,
        "floor_id": floor_id,
        "zone_id": None,
        "name": name,
        "kind": kind,
        "capacity": capacity,
        "amenities": amenities,
        "safety_features": safety or [],
        "requires_approval": False,
        "active": True,
        "pos_x": None,
        "pos_y": None,
        "updated_at": changed_at,
    }


def _booking(
    ids: _Ids,
    rng: random.Random,
    day: date,
    today: date,
    *,
    space_id: int,
    site_id: int,
    is_desk: bool,
    person: int,
    start: datetime,
    end: datetime,
    day_part: str | None,
    title: str = "",
    attendees: int = 1,
) -> Row:
    made = start - timedelta(days=rng.randrange(1, 10), minutes=rng.randrange(600))
    roll = rng.random()
    checked_in_at = cancelled_at = None
    if day < today:
        if roll < 0.82:
            status, checked_in_at = "checked_in", start + timedelta(minutes=rng.randrange(45))
        elif roll < 0.91:
            status = "released"
        else:
            status, cancelled_at = "cancelled", made + timedelta(hours=rng.randrange(1, 20))
    elif roll < 0.93:
        status = "confirmed"
    else:
        status, cancelled_at = "cancelled", made + timedelta(hours=1)
    return {
        "id": ids("bookings"),
        "space_id": space_id,
        "site_id": site_id,
        "is_desk": is_desk,
        "booked_for_id": person,
        "booked_by_id": person,
        "start_at": start,
        "end_at": end,
        "day_part": day_part,
        "status": status,
        "title": title,
        "attendees": attendees,
        "series_id": None,
        "checked_in_at": checked_in_at,
        "cancelled_at": cancelled_at,
        "decided_by_id": None,
        "created_at": made,
        "updated_at": checked_in_at or cancelled_at or made,
        "sequence": 1 if cancelled_at else 0,
    }


def _desk_day(
    t: dict[str, list[Row]],
    ids: _Ids,
    rng: random.Random,
    day: date,
    today: date,
    site_id: int,
    desks_by_site: dict[int, list[int]],
    people_by_site: dict[int, list[int]],
    load_pool: range,
) -> set[int]:
    """Desk bookings of one site on one day: one desk per person and per desk-day."""
    desks = desks_by_site[site_id]
    people = people_by_site[site_id]
    if day >= today:
        people = [p for p in people if p not in load_pool]
    wanted = int(len(desks) * OCCUPANCY[day.weekday()] * rng.uniform(0.85, 1.1))
    count = min(wanted, len(desks), len(people))
    opens, split, closes = _utc(day, OPENS), _utc(day, SPLIT), _utc(day, CLOSES)
    chosen = rng.sample(people, count)
    for desk, person in zip(rng.sample(desks, count), chosen, strict=True):
        roll = rng.random()
        part, start, end = (
            ("day", opens, closes)
            if roll < 0.7
            else ("morning", opens, split)
            if roll < 0.85
            else ("afternoon", split, closes)
        )
        t["bookings"].append(
            _booking(
                ids,
                rng,
                day,
                today,
                space_id=desk,
                site_id=site_id,
                is_desk=True,
                person=person,
                start=start,
                end=end,
                day_part=part,
            )
        )
    return set(chosen)


def _room_day(
    t: dict[str, list[Row]],
    ids: _Ids,
    rng: random.Random,
    day: date,
    today: date,
    rooms: list[tuple[int, int]],
    people_by_site: dict[int, list[int]],
    site_id: int,
    person_count: int,
) -> None:
    """0-4 meetings per room, on half-hour steps between opening and closing."""
    people = people_by_site[site_id] or list(range(1, person_count + 1))
    for room, capacity in rooms:
        slot = rng.randrange(4)  # half hours after 08:00
        for _ in range(rng.randrange(5)):
            length = rng.randrange(1, 5)
            if slot + length > 20:
                break
            start = datetime.combine(day, OPENS, tzinfo=AMSTERDAM) + timedelta(minutes=30 * slot)
            t["bookings"].append(
                _booking(
                    ids,
                    rng,
                    day,
                    today,
                    space_id=room,
                    site_id=site_id,
                    is_desk=False,
                    person=rng.choice(people),
                    start=start.astimezone(UTC),
                    end=(start + timedelta(minutes=30 * length)).astimezone(UTC),
                    day_part=None,
                    title=rng.choice(ROOM_TITLES),
                    attendees=rng.randint(1, capacity),
                )
            )
            slot += length + rng.randrange(4)


def _work_location_day(
    t: dict[str, list[Row]],
    ids: _Ids,
    rng: random.Random,
    day: date,
    today: date,
    person_count: int,
    booked: set[int],
    home_site: dict[int, int],
    field_bases: list[int],
) -> None:
    """What a third of the people without a desk that day said about both half days; those
    on location go on a field visit there from 10:00 to 11:30 (checked in and out once
    it is over)."""
    stamp = _utc(day, OPENS) - timedelta(days=2)
    for pid in range(1, person_count + 1):
        if pid in booked or rng.random() > 0.35:
            continue
        roll = rng.random()
        site = area = reason = None
        if roll < 0.55:
            kind = "home"
        elif roll < 0.7:
            kind, area = "on_location", rng.choice(AREAS)
        elif roll < 0.8:
            kind, site = "field_base", rng.choice(field_bases)
        elif roll < 0.95:
            kind, reason = "absent", "verlof"
        else:
            kind, site = "office", home_site[pid]
        for part in ("morning", "afternoon"):
            t["work_locations"].append(
                {
                    "id": ids("work_locations"),
                    "person_id": pid,
                    "date": day,
                    "day_part": part,
                    "kind": kind,
                    "site_id": site,
                    "area": area,
                    "absence_reason": reason,
                    "updated_by_id": pid,
                    "updated_at": stamp,
                }
            )
        if kind == "on_location":
            _field_visit(t, ids, day, today, pid, area, stamp)


def _field_visit(
    t: dict[str, list[Row]],
    ids: _Ids,
    day: date,
    today: date,
    pid: int,
    area: str | None,
    stamp: datetime,
) -> None:
    start, end = _utc(day, VISIT_STARTS), _utc(day, VISIT_ENDS)
    over = day < today
    visit_id = ids("field_visits")
    t["field_visits"].append(
        {
            "id": visit_id,
            "area": area,
            "address": "",
            "purpose": "Huisbezoek",
            "planned_start": start,
            "planned_end": end,
            "two_person_required": False,
            "booking_id": None,
            "status": "checked_out" if over else "planned",
            "checked_in_at": start if over else None,
            "checked_in_by_id": pid if over else None,
            "checked_out_at": end if over else None,
            "checked_out_by_id": pid if over else None,
            "cancelled_at": None,
            "created_by_id": pid,
            "created_at": stamp,
            "updated_at": end if over else stamp,
        }
    )
    t["field_visitors"].append({"visit_id": visit_id, "person_id": pid, "position": 0})


# --- loading ---------------------------------------------------------------------------------

LOAD_ORDER = (
    "sites",
    "opening_hours",
    "floors",
    "spaces",
    "teams",
    "persons",
    "person_roles",
    "person_topics",
    "team_memberships",
    "weekly_patterns",
    "bookings",
    "work_locations",
    "field_visits",
    "field_visitors",
)
COPY_TABLES = frozenset({"bookings", "work_locations", "weekly_patterns", "persons"})
CHUNK = 20_000


def _chunks(rows: list[Row], size: int) -> Iterator[list[Row]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


async def _insert(connection: AsyncConnection, name: str, rows: list[Row]) -> None:
    table = Base.metadata.tables[name]
    if connection.dialect.name == "postgresql" and name in COPY_TABLES:
        columns = list(rows[0])
        raw = await connection.get_raw_connection()
        await raw.driver_connection.copy_records_to_table(  # type: ignore[union-attr]
            name, records=[tuple(row[c] for c in columns) for row in rows], columns=columns
        )
        return
    for chunk in _chunks(rows, CHUNK):
        await connection.execute(insert(table), chunk)


async def load(database_url: str, data: Dataset, report: Callable[[str], None] = print) -> None:
    """Insert the data set into an empty, migrated database, then refresh statistics."""
    import_all_models()
    engine = create_engine(database_url)
    try:
        async with engine.begin() as connection:
            people = (
                await connection.execute(
                    select(func.count()).select_from(Base.metadata.tables["persons"])
                )
            ).scalar_one()
            if people:
                raise SystemExit(f"{database_url} already holds {people} people; use a new one")
            for name in LOAD_ORDER:
                rows = data.tables[name]
                if not rows:
                    continue
                started = time.perf_counter()
                await _insert(connection, name, rows)
                report(f"  {name:<18} {len(rows):>9,} rows  {time.perf_counter() - started:6.1f} s")
            if connection.dialect.name == "postgresql":
                for name in LOAD_ORDER:
                    if "id" in Base.metadata.tables[name].c and data.tables[name]:
                        await connection.execute(
                            text(
                                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                                f"(SELECT max(id) FROM {name}))"
                            )
                        )
        started = time.perf_counter()
        async with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                await connection.execution_options(isolation_level="AUTOCOMMIT")
                # As docs/deployment.md recommends for a database on SSD or in memory.
                await connection.execute(
                    text(
                        "DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET random_page_cost "
                        "= 1.1', current_database()); END $$"
                    )
                )
                await connection.execute(text("VACUUM ANALYZE"))
            else:
                await connection.execute(text("ANALYZE"))
                await connection.commit()
        report(f"  statistics (ANALYZE)          {time.perf_counter() - started:6.1f} s")
    finally:
        await engine.dispose()


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", help="SQLite or PostgreSQL URL of a new database")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default size")
    parser.add_argument("--people", type=int, help="people (overrides --scale)")
    parser.add_argument("--desks", type=int, help="desks (overrides --scale)")
    parser.add_argument("--rooms", type=int, help="rooms (overrides --scale)")
    parser.add_argument("--days", type=int, default=365, help="days of history up to today+13")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--today",
        type=date.fromisoformat,
        default=None,
        metavar="YYYY-MM-DD",
        help="the date the data treats as today (default: today in Amsterdam)",
    )
    return parser.parse_args(argv)


def size_from(args: argparse.Namespace) -> Size:
    size = Size(days=args.days).scaled(args.scale) if args.scale != 1.0 else Size(days=args.days)
    return Size(
        people=args.people or size.people,
        desks=args.desks or size.desks,
        rooms=args.rooms or size.rooms,
        sites=size.sites,
        days=size.days,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    url = _normalise_database_url(args.database_url)
    size = size_from(args)
    today = args.today or local_today(SystemClock())
    started = time.perf_counter()
    upgrade(url)
    print(f"migrated                          {time.perf_counter() - started:6.1f} s")
    started = time.perf_counter()
    data = build(size, args.seed, today)
    print(
        f"built {size.people:,} people, {size.desks:,} desks, {size.rooms:,} rooms, "
        f"{size.sites} sites, {data.first_day}..{data.last_day} in "
        f"{time.perf_counter() - started:.1f} s"
    )
    started = time.perf_counter()
    asyncio.run(load(url, data))
    print(f"loaded in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
