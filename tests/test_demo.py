"""The demo municipality (`werkplek demo`): what it promises, and that it keeps the rules."""

from __future__ import annotations

import asyncio
import itertools
import os
import tempfile
from collections import Counter, defaultdict
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import func, select
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import DEFAULT_NOW, _create_postgres_database, _pg_execute
from tests.people.helpers import anonymous_csrf
from werkplek.analytics.services import resolve_period
from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking, BookingStatus, FavouriteDesk
from werkplek.cli import main
from werkplek.clock import AMSTERDAM, FixedClock, local_today
from werkplek.config import Settings
from werkplek.db import create_engine, create_sessionmaker, session_scope
from werkplek.demo import DEMO_LOGINS, DEMO_PASSWORD, DatabaseNotEmpty, load_demo
from werkplek.migrate import upgrade
from werkplek.people.models import Person, Role, Team
from werkplek.people.security import hash_password
from werkplek.presence.models import CallbackNote, WeeklyPattern, WorkKind, WorkLocation
from werkplek.presence.reminders import remind_of_open_notes
from werkplek.presence.services import site_of_today
from werkplek.rooms.models import Closure, Floor, Site, SiteKind, Space, SpaceKind
from werkplek.rooms.services import (
    DayPart,
    day_part_window,
    list_sites,
    public_holiday,
    site_day,
)
from werkplek.visits.models import FieldVisit, FieldVisitor, VisitStatus
from werkplek.visits.services import guardian_ids, raise_overdue_alerts

# Hashed once for the module: argon2id is slow on purpose.
DEMO_HASH = hash_password(DEMO_PASSWORD)
EMPLOYEE = "medewerker@demo.werkplek.nl"
TEAM_LEAD = "teamleider@demo.werkplek.nl"
KCC_LOGIN = "kcc@demo.werkplek.nl"
RECEPTION_LOGIN = "receptie@demo.werkplek.nl"


async def load(db: AsyncSession, clock: FixedClock) -> None:
    summary = await load_demo(db, clock, password_hash=DEMO_HASH)
    assert summary is not None
    await db.commit()


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def demo_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A database of this module's own, migrated and loaded once per backend.

    The tests that only read the demo share it; the others use ``db``.
    """

    async def fill(url: str) -> None:
        engine = create_engine(url)
        try:
            async with session_scope(create_sessionmaker(engine)) as session:
                await load_demo(session, FixedClock(DEFAULT_NOW), password_hash=DEMO_HASH)
        finally:
            await engine.dispose()

    if request.param == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            url = f"sqlite+aiosqlite:///{Path(folder) / 'werkplek-demo.db'}"
            upgrade(url)
            asyncio.run(fill(url))
            yield url
        return
    try:
        admin_url, url = _create_postgres_database()
    except Exception as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL is required under CI=true and is not reachable: {exc}")
        pytest.skip(f"PostgreSQL not reachable: {exc}")
    try:
        upgrade(url)
        asyncio.run(fill(url))
        yield url
    finally:
        name = make_url(url).database
        asyncio.run(_pg_execute(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture
async def demo(demo_url: str) -> AsyncIterator[AsyncSession]:
    """A session on the shared demo database; tests using it must not change anything."""
    engine = create_engine(demo_url)
    async with create_sessionmaker(engine)() as session:
        yield session
    await engine.dispose()


async def all_of(db: AsyncSession, model: type) -> list:  # type: ignore[type-arg]
    return list((await db.execute(select(model))).scalars())


async def active_bookings(db: AsyncSession) -> list[Booking]:
    statement = select(Booking).where(Booking.status.in_(ACTIVE_STATUS_VALUES))
    return list((await db.execute(statement)).scalars())


def overlapping(windows: list[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    ordered = sorted(windows)
    return [b for a, b in itertools.pairwise(ordered) if b[0] < a[1]]


# --- what is there ------------------------------------------------------------------------


async def test_the_demo_has_an_office_two_satellites_two_field_bases_and_two_village_halls(
    demo: AsyncSession,
) -> None:
    kinds = Counter(site.kind for site in await all_of(demo, Site))

    assert kinds == {
        SiteKind.CENTRAL_OFFICE: 1,
        SiteKind.SATELLITE: 2,
        SiteKind.FIELD_BASE: 2,
        SiteKind.COMMUNITY_VENUE: 2,
    }


async def test_the_central_office_has_three_floors_with_zones(demo: AsyncSession) -> None:
    central = (
        await demo.execute(select(Site).where(Site.kind == SiteKind.CENTRAL_OFFICE.value))
    ).scalar_one()
    floors = (await demo.execute(select(Floor).where(Floor.site_id == central.id))).scalars()

    zones_per_floor = [len(floor.zones) for floor in floors]
    assert len(zones_per_floor) == 3
    assert all(count >= 2 for count in zones_per_floor)


async def test_about_sixty_desks_of_which_ten_quiet_desks_with_screen_docking_and_sit_stand(
    demo: AsyncSession,
) -> None:
    spaces = await all_of(demo, Space)
    desks = [s for s in spaces if s.kind in (SpaceKind.DESK, SpaceKind.QUIET_DESK)]
    quiet = [s for s in spaces if s.kind == SpaceKind.QUIET_DESK]

    assert 55 <= len(desks) <= 65
    assert len(quiet) == 10
    assert all({"screen", "docking", "sit_stand"} <= set(s.amenities) for s in quiet)


async def test_eight_meeting_rooms_for_four_to_fourteen_with_screen_or_video(
    demo: AsyncSession,
) -> None:
    rooms = [s for s in await all_of(demo, Space) if s.kind == SpaceKind.MEETING_ROOM]

    assert len(rooms) == 8
    assert min(r.capacity for r in rooms) == 4
    assert max(r.capacity for r in rooms) == 14
    assert all({"screen", "video"} & set(r.amenities) for r in rooms)


async def test_four_resident_rooms_with_safety_features(demo: AsyncSession) -> None:
    rooms = [s for s in await all_of(demo, Space) if s.kind == SpaceKind.RESIDENT_ROOM]

    assert len(rooms) == 4
    assert all(set(r.safety_features) & {"alarm_button", "second_exit", "line_of_sight"}
               for r in rooms)  # fmt: skip


async def test_offices_open_weekdays_from_half_past_seven_and_village_halls_fewer_days(
    demo: AsyncSession,
) -> None:
    sites = await all_of(demo, Site)

    for site in sites:
        weekdays = {hours.weekday for hours in site.opening_hours}
        if site.kind == SiteKind.COMMUNITY_VENUE:
            assert 0 < len(weekdays) < 5
        else:
            assert weekdays == {0, 1, 2, 3, 4}
            assert {(h.opens.isoformat(), h.closes.isoformat()) for h in site.opening_hours} == {
                ("07:30:00", "18:00:00")
            }


async def test_one_satellite_caps_capacity_at_sixty_percent(demo: AsyncSession) -> None:
    caps = [(s.kind, s.capacity_cap_percent) for s in await all_of(demo, Site)]

    assert [cap for cap in caps if cap[1] is not None] == [(SiteKind.SATELLITE, 60)]


async def test_one_desk_cluster_is_restricted_to_buitendienst(demo: AsyncSession) -> None:
    buitendienst = (
        await demo.execute(select(Team).where(Team.name == "Buitendienst"))
    ).scalar_one()
    restricted = [s for s in await all_of(demo, Space) if s.restricted_to]

    assert len(restricted) >= 3
    assert {s.zone_id for s in restricted} != {None}
    assert len({s.zone_id for s in restricted}) == 1
    assert all(s.team_ids == [buitendienst.id] for s in restricted)


async def test_one_room_needs_approval(demo: AsyncSession) -> None:
    needing = [s for s in await all_of(demo, Space) if s.requires_approval]

    assert [s.kind for s in needing] == [SpaceKind.MEETING_ROOM]


async def test_eighty_people_in_six_teams_each_with_one_lead(demo: AsyncSession) -> None:
    people = await all_of(demo, Person)
    leads = Counter(m.team.name for p in people for m in p.memberships if m.is_lead)

    assert len(people) == 80
    assert leads == {
        "Burgerzaken": 1,
        "Vergunningen": 1,
        "WMO/Sociaal domein": 1,
        "KCC": 1,
        "Buitendienst": 1,
        "Facilitair": 1,
    }


async def test_team_topics_are_the_ones_the_kcc_asks_about(demo: AsyncSession) -> None:
    topics: dict[str, set[str]] = defaultdict(set)
    for person in await all_of(demo, Person):
        for membership in person.memberships:
            topics[membership.team.name].update(t.topic for t in person.topics)

    assert topics["Burgerzaken"] == {"paspoort", "rijbewijs", "verhuizing", "uittreksel brp"}
    assert topics["Vergunningen"] == {
        "omgevingsvergunning",
        "bouwvergunning",
        "evenementenvergunning",
    }
    assert topics["WMO/Sociaal domein"] == {"wmo", "huishoudelijke hulp", "jeugdzorg", "schuldhulp"}
    assert topics["Buitendienst"] == {"groenonderhoud", "afval", "wegen"}
    assert topics["KCC"] == {"algemene vragen"}


async def test_everyone_has_contact_channels_and_a_backup_in_their_team(
    demo: AsyncSession,
) -> None:
    people = {p.id: p for p in await all_of(demo, Person)}

    for person in people.values():
        backup = people[person.backup_id] if person.backup_id else None
        assert person.phone and person.chat_handle
        assert backup is not None and backup.id != person.id
        assert {m.team_id for m in backup.memberships} & {m.team_id for m in person.memberships}


async def test_only_the_demo_log_ins_have_a_password(demo: AsyncSession) -> None:
    people = await all_of(demo, Person)

    with_password = {p.email for p in people if p.password_hash is not None}
    assert with_password == {login.email for login in DEMO_LOGINS}


async def test_there_is_a_demo_log_in_for_every_role(demo: AsyncSession) -> None:
    people = {p.email: p for p in await all_of(demo, Person)}

    roles = {login.role for login in DEMO_LOGINS}
    assert roles == set(Role)
    for login in DEMO_LOGINS:
        assert login.role is Role.EMPLOYEE or login.role in people[login.email].role_set


async def test_the_demo_receptionists_list_of_the_day_opens_on_her_site(
    demo: AsyncSession,
) -> None:
    receptionist = next(p for p in await all_of(demo, Person) if p.email == RECEPTION_LOGIN)

    site = await site_of_today(
        demo, FixedClock(DEFAULT_NOW), receptionist.id, await list_sites(demo)
    )

    assert site is not None and site.name == "Servicepunt Marrewoude"


async def test_the_demo_employee_keeps_two_desks_they_booked_as_favourites(
    demo: AsyncSession,
) -> None:
    employee = next(p for p in await all_of(demo, Person) if p.email == DEMO_LOGINS[0].email)
    favourites = [f for f in await all_of(demo, FavouriteDesk) if f.person_id == employee.id]
    booked = {b.space_id for b in await all_of(demo, Booking) if b.booked_for_id == employee.id}

    assert len(favourites) == 2
    assert {f.space_id for f in favourites} <= booked


async def test_the_demo_employee_logs_in_with_the_demo_password(
    db: AsyncSession, clock: FixedClock, client: AsyncTestClient[Litestar]
) -> None:
    await load(db, clock)

    csrf = await anonymous_csrf(client)
    login = await client.post(
        "/login",
        data={"_csrf": csrf, "email": EMPLOYEE, "password": DEMO_PASSWORD, "next": "/"},
        follow_redirects=False,
    )
    me = await client.get("/api/me")

    assert login.status_code in {302, 303}
    assert me.status_code == 200
    assert me.json()["person"]["email"] == EMPLOYEE


# --- the days around today ------------------------------------------------------------------


async def test_bookings_span_the_four_weeks_before_and_the_week_after_today(
    demo: AsyncSession, clock: FixedClock
) -> None:
    days = {b.start_at.astimezone(AMSTERDAM).date() for b in await all_of(demo, Booking)}
    today = local_today(clock)

    assert min(days) <= today - timedelta(days=25)
    assert max(days) >= today + timedelta(days=5)
    assert all(-27 <= (day - today).days <= 7 for day in days)


async def test_the_default_occupancy_period_has_bookings_in_each_of_its_weeks(
    demo: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    period = resolve_period(clock, settings, None, None)
    days = {b.start_at.astimezone(AMSTERDAM).date() for b in await all_of(demo, Booking)}

    in_period = (day for day in days if period.first <= day <= period.last)
    weeks_with_bookings = {(day - period.first).days // 7 for day in in_period}
    assert weeks_with_bookings == {0, 1, 2, 3}


async def test_both_desk_and_room_bookings_are_made(demo: AsyncSession) -> None:
    bookings = await all_of(demo, Booking)

    desk_parts = Counter(b.day_part for b in bookings if b.is_desk)
    assert set(desk_parts) == {"morning", "afternoon", "day"}
    assert sum(1 for b in bookings if not b.is_desk) > 50


async def test_no_two_active_bookings_overlap_on_a_space(demo: AsyncSession) -> None:
    by_space: dict[int, list[tuple[datetime, datetime]]] = defaultdict(list)
    for booking in await active_bookings(demo):
        by_space[booking.space_id].append((booking.start_at, booking.end_at))

    assert {space: overlapping(w) for space, w in by_space.items() if overlapping(w)} == {}


async def test_no_person_holds_two_desks_at_once(demo: AsyncSession) -> None:
    by_person: dict[int | None, list[tuple[datetime, datetime]]] = defaultdict(list)
    for booking in await active_bookings(demo):
        if booking.is_desk:
            by_person[booking.booked_for_id].append((booking.start_at, booking.end_at))

    assert {p: overlapping(w) for p, w in by_person.items() if overlapping(w)} == {}


async def test_desk_bookings_cover_exactly_their_day_part_at_the_site(
    demo: AsyncSession,
) -> None:
    sites = {site.id: site for site in await all_of(demo, Site)}
    closures = await all_of(demo, Closure)

    for booking in await all_of(demo, Booking):
        if not booking.is_desk:
            continue
        site = sites[booking.site_id]
        own = [c for c in closures if c.site_id == site.id]
        day = site_day(site, booking.start_at.astimezone(AMSTERDAM).date(), own)
        assert booking.day_part is not None
        assert (booking.start_at, booking.end_at) == day_part_window(
            site, day, DayPart(booking.day_part)
        )


async def test_room_bookings_fall_within_opening_hours_of_open_days(demo: AsyncSession) -> None:
    sites = {site.id: site for site in await all_of(demo, Site)}
    closures = await all_of(demo, Closure)

    for booking in await all_of(demo, Booking):
        site = sites[booking.site_id]
        start = booking.start_at.astimezone(AMSTERDAM)
        end = booking.end_at.astimezone(AMSTERDAM)
        day = site_day(
            site,
            start.date(),
            [
                c
                for c in closures
                if c.site_id == site.id and c.space_id in (None, booking.space_id)
            ],
        )
        assert day.is_open, (site.name, start)
        assert day.opens is not None and day.closes is not None
        assert day.opens <= start.time() and end.time() <= day.closes


async def test_no_bookings_on_public_holidays(db: AsyncSession) -> None:
    christmas = FixedClock(datetime(2026, 12, 28, 9, 0, tzinfo=UTC))  # Monday after Christmas
    await load(db, christmas)

    days = {b.start_at.astimezone(AMSTERDAM).date() for b in await all_of(db, Booking)}
    holidays = [day for day in days if public_holiday(day) is not None]

    assert days
    assert holidays == []
    assert date(2026, 12, 25) not in days


async def test_past_bookings_are_checked_in_confirmed_or_released_and_future_ones_open(
    demo: AsyncSession, clock: FixedClock
) -> None:
    past: Counter[str] = Counter()
    future: Counter[str] = Counter()
    for booking in await all_of(demo, Booking):
        (past if booking.start_at <= clock.now() else future)[booking.status] += 1
        assert booking.created_at <= clock.now()
        assert booking.created_at <= booking.updated_at <= clock.now()

    assert set(past) <= {BookingStatus.CHECKED_IN, BookingStatus.CONFIRMED, BookingStatus.RELEASED}
    assert past[BookingStatus.CHECKED_IN] > past[BookingStatus.RELEASED]
    assert set(future) <= {
        BookingStatus.CONFIRMED,
        BookingStatus.PENDING,
        BookingStatus.CANCELLED,
    }
    assert future[BookingStatus.CONFIRMED] > 0


async def test_the_capacity_cap_is_respected(demo: AsyncSession) -> None:
    site = (
        await demo.execute(select(Site).where(Site.capacity_cap_percent.is_not(None)))
    ).scalar_one()
    assert site.capacity_cap_percent is not None
    desks = (
        await demo.execute(
            select(func.count(Space.id)).where(
                Space.site_id == site.id,
                Space.kind.in_([SpaceKind.DESK.value, SpaceKind.QUIET_DESK.value]),
            )
        )
    ).scalar_one()
    limit = desks * site.capacity_cap_percent // 100

    load: Counter[tuple[date, str]] = Counter()
    for booking in await active_bookings(demo):
        if booking.is_desk and booking.site_id == site.id:
            assert booking.day_part is not None
            parts = ["morning", "afternoon"] if booking.day_part == "day" else [booking.day_part]
            for part in parts:
                load[(booking.start_at.date(), part)] += 1

    assert load
    assert max(load.values()) <= limit


async def test_restricted_desks_are_booked_by_their_team_only(demo: AsyncSession) -> None:
    spaces = {s.id: s for s in await all_of(demo, Space)}
    people = {p.id: p for p in await all_of(demo, Person)}

    booked = [b for b in await all_of(demo, Booking) if spaces[b.space_id].restricted_to]
    assert booked
    for booking in booked:
        assert booking.booked_for_id is not None
        teams = {m.team_id for m in people[booking.booked_for_id].memberships}
        assert set(spaces[booking.space_id].team_ids) & teams


async def test_work_locations_agree_with_desk_bookings(demo: AsyncSession) -> None:
    sites = {s.id: s for s in await all_of(demo, Site)}
    said = {(w.person_id, w.date, w.day_part): w for w in await all_of(demo, WorkLocation)}

    checked = 0
    for booking in await active_bookings(demo):
        if not booking.is_desk:
            continue
        parts = ["morning", "afternoon"] if booking.day_part == "day" else [booking.day_part]
        for part in parts:
            entry = said.get(
                (booking.booked_for_id, booking.start_at.astimezone(AMSTERDAM).date(), part)
            )
            if entry is None:
                continue  # this person leaves it to the booking and their pattern
            checked += 1
            expected = (
                WorkKind.FIELD_BASE
                if sites[booking.site_id].kind == SiteKind.FIELD_BASE
                else WorkKind.OFFICE
            )
            assert (entry.kind, entry.site_id) == (expected, booking.site_id)
    assert checked > 100


async def test_work_locations_cover_the_working_days_from_four_weeks_before_to_a_week_after(
    demo: AsyncSession, clock: FixedClock
) -> None:
    entries = await all_of(demo, WorkLocation)
    today = local_today(clock)

    window = (today + timedelta(days=offset) for offset in range(-27, 8))
    working_days = {day for day in window if day.weekday() < 5 and not public_holiday(day)}
    assert {w.date for w in entries} == working_days
    assert {w.kind for w in entries} == {kind.value for kind in WorkKind}


async def test_everyone_has_a_weekly_pattern_for_the_working_week(demo: AsyncSession) -> None:
    patterns = await all_of(demo, WeeklyPattern)

    weekdays: dict[int, set[int]] = defaultdict(set)
    for pattern in patterns:
        weekdays[pattern.person_id].add(pattern.weekday)
    assert len(weekdays) == 80
    assert all(days == {0, 1, 2, 3, 4} for days in weekdays.values())


async def test_whoever_hosts_a_village_hall_booking_works_on_location_in_that_village(
    demo: AsyncSession,
) -> None:
    sites = {s.id: s for s in await all_of(demo, Site)}
    said = {(w.person_id, w.date, w.day_part): w for w in await all_of(demo, WorkLocation)}

    hosted = [
        b for b in await active_bookings(demo) if sites[b.site_id].kind == SiteKind.COMMUNITY_VENUE
    ]
    assert hosted
    for booking in hosted:
        start = booking.start_at.astimezone(AMSTERDAM)
        part = "morning" if start.hour < 13 else "afternoon"
        entry = said.get((booking.booked_for_id, start.date(), part))
        if entry is not None:
            assert (entry.kind, entry.area) == (WorkKind.ON_LOCATION, sites[booking.site_id].city)


async def test_on_location_work_names_a_village_never_an_address(demo: AsyncSession) -> None:
    areas = {w.area for w in await all_of(demo, WorkLocation) if w.kind == WorkKind.ON_LOCATION}

    assert areas
    assert all(area and not any(ch.isdigit() for ch in area) for area in areas)


# --- loading ------------------------------------------------------------------------------


# --- field work ---------------------------------------------------------------------------


async def _visits_of(db: AsyncSession, email: str) -> list[FieldVisit]:
    return list(
        (
            await db.execute(
                select(FieldVisit)
                .join(FieldVisitor, FieldVisitor.visit_id == FieldVisit.id)
                .join(Person, Person.id == FieldVisitor.person_id)
                .where(Person.email == email)
            )
        ).scalars()
    )


async def test_the_demo_employee_has_a_field_visit_planned_to_start_after_loading(
    demo: AsyncSession,
) -> None:
    visits = await _visits_of(demo, EMPLOYEE)

    assert [(v.status, v.planned_start > DEFAULT_NOW) for v in visits] == [
        (VisitStatus.PLANNED, True)
    ]


async def test_two_colleagues_are_on_location_on_visits_under_way(demo: AsyncSession) -> None:
    under_way = (
        await demo.execute(
            select(func.count()).where(
                FieldVisit.status == VisitStatus.CHECKED_IN, FieldVisit.planned_end > DEFAULT_NOW
            )
        )
    ).scalar_one()

    assert under_way == 2


async def test_a_burgerzaken_visit_past_its_end_gives_the_team_lead_an_alert(
    db: AsyncSession, clock: FixedClock, settings: Settings
) -> None:
    await load(db, clock)

    raised = await raise_overdue_alerts(db, clock, settings)

    visitors = await db.execute(
        select(FieldVisitor.person_id).where(FieldVisitor.visit_id.in_(a.visit_id for a in raised))
    )
    lead = await db.execute(select(Person.id).where(Person.email == TEAM_LEAD))
    assert (len(raised), lead.scalar_one() in await guardian_ids(db, visitors.scalars())) == (
        1,
        True,
    )


async def test_the_demo_employee_has_an_open_callback_note_from_the_kcc(
    demo: AsyncSession,
) -> None:
    notes = (
        await demo.execute(
            select(CallbackNote.done_at)
            .join(Person, Person.id == CallbackNote.created_by_id)
            .where(Person.email == KCC_LOGIN)
        )
    ).all()

    assert sorted(done_at is None for (done_at,) in notes) == [False, True, True]


async def test_the_demo_employees_note_from_the_last_working_day_is_reminded_of(
    demo: AsyncSession,
) -> None:
    try:
        await remind_of_open_notes(demo, FixedClock(DEFAULT_NOW))
        reminded = (
            await demo.execute(
                select(Person.email)
                .join(CallbackNote, CallbackNote.person_id == Person.id)
                .where(CallbackNote.reminded_at.is_not(None))
            )
        ).scalars()
        assert list(reminded) == [EMPLOYEE]
    finally:
        await demo.rollback()  # the demo is shared: it stays as loaded


async def test_the_same_day_gives_the_same_demo(db: AsyncSession, clock: FixedClock) -> None:
    async def fingerprint() -> list[tuple[object, ...]]:
        rows = await db.execute(
            select(Person.email, Space.name, Booking.start_at, Booking.status)
            .join(Person, Person.id == Booking.booked_for_id)
            .join(Space, Space.id == Booking.space_id)
            .order_by(Booking.start_at, Space.name)
        )
        return [tuple(row) for row in rows]

    await load(db, clock)
    first = await fingerprint()
    for model in (Booking, WorkLocation, WeeklyPattern, Closure, Space, Person, Team, Site):
        await db.execute(model.__table__.delete())  # type: ignore[attr-defined]
    await db.commit()
    db.expunge_all()  # the rows went by SQL: forget the first demo's objects too
    await load(db, clock)

    assert await fingerprint() == first


async def test_if_empty_leaves_a_filled_database_alone(
    demo: AsyncSession, clock: FixedClock
) -> None:
    result = await load_demo(demo, clock, if_empty=True, password_hash=DEMO_HASH)
    await demo.commit()

    assert result is None
    assert (await demo.execute(select(func.count(Person.id)))).scalar_one() == 80


async def test_loading_into_a_filled_database_is_refused(
    db: AsyncSession, clock: FixedClock
) -> None:
    await load(db, clock)

    with pytest.raises(DatabaseNotEmpty):
        await load_demo(db, clock, password_hash=DEMO_HASH)


def test_the_command_loads_the_demo_and_prints_the_log_ins(
    app: Litestar, command_env: None, capsys: pytest.CaptureFixture[str]
) -> None:
    first = main(["demo", "--today", "2026-11-25"])
    out = capsys.readouterr().out
    again = main(["demo", "--if-empty"])
    out_again = capsys.readouterr().out

    assert (first, again) == (0, 0)
    assert "Gemeente Westerkwartier-Noord geladen rond woensdag 25-11-2026" in out
    assert all(login.email in out for login in DEMO_LOGINS)
    assert DEMO_PASSWORD in out
    assert "de demo is niet geladen" in out_again
