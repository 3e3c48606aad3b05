"""Copying last week fills this week's open half days and keeps what was set already."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.presence.conftest import MONDAY, TODAY, BookDesk, SetEntry, SetHours, Sites
from werkplek.people.models import Person
from werkplek.presence.models import DayReachability, WorkLocation
from werkplek.rooms.models import Space

Client = AsyncTestClient[Litestar]
LAST_MONDAY = MONDAY - timedelta(days=7)
COPY_URL = "/api/presence/copy-week"
WEEK = {"week": TODAY.isoformat()}


@pytest.fixture
async def person(make_person: MakePerson, login_as: LoginAs) -> Person:
    """Logged in; worked from home all of last Monday."""
    person = await make_person()
    await login_as(person)
    return person


@pytest.fixture
async def home_last_monday(person: Person, set_entry: SetEntry) -> None:
    for part in ("morning", "afternoon"):
        await set_entry(person, LAST_MONDAY, part, "home")


async def entries_on(db: AsyncSession, person: Person, day: date) -> dict[str, str]:
    await db.rollback()
    rows = await db.execute(
        select(WorkLocation.day_part, WorkLocation.kind).where(
            WorkLocation.person_id == person.id, WorkLocation.date == day
        )
    )
    return dict(rows.all())


async def note_on(db: AsyncSession, person: Person, day: date) -> str | None:
    await db.rollback()
    return (
        await db.execute(
            select(DayReachability.note).where(
                DayReachability.person_id == person.id, DayReachability.date == day
            )
        )
    ).scalar_one_or_none()


async def copy_on_page(client: Client) -> str:
    """Copy with the week page's button; the page's message."""
    response = await client.post("/my-week/copy", data=WEEK)
    start = response.text.index('class="alert alert-success"')
    return response.text[start : response.text.index("</p>", start)]


@pytest.mark.usefixtures("home_last_monday")
async def test_copying_repeats_last_weeks_half_days_a_week_later(
    client: Client, db: AsyncSession, person: Person
) -> None:
    response = await client.post(COPY_URL, params=WEEK)

    assert response.status_code == 201
    assert await entries_on(db, person, MONDAY) == {"morning": "home", "afternoon": "home"}


@pytest.mark.usefixtures("home_last_monday")
async def test_copying_keeps_a_half_day_set_by_hand_this_week(
    client: Client, db: AsyncSession, person: Person, set_entry: SetEntry, sites: Sites
) -> None:
    await set_entry(person, MONDAY, "morning", "office", site=sites.town_hall)

    await client.post(COPY_URL, params=WEEK)

    assert await entries_on(db, person, MONDAY) == {"morning": "office", "afternoon": "home"}


@pytest.mark.usefixtures("home_last_monday")
async def test_copying_keeps_a_half_day_with_a_desk_booking_this_week(
    client: Client, db: AsyncSession, person: Person, book_desk: BookDesk, desk: Space
) -> None:
    await book_desk(person, desk, MONDAY, "afternoon")

    response = await client.post(COPY_URL, params=WEEK)

    assert await entries_on(db, person, MONDAY) == {"morning": "home"}
    assert response.json()[0]["parts"][1]["kind"] == "office"


async def test_copying_copies_the_reachable_hours_onto_a_day_without_its_own(
    client: Client, db: AsyncSession, person: Person, set_hours: SetHours
) -> None:
    await set_hours(person, LAST_MONDAY, note="Alleen ochtend")

    await client.post(COPY_URL, params=WEEK)

    assert await note_on(db, person, MONDAY) == "Alleen ochtend"


async def test_copying_keeps_the_hours_of_a_day_set_by_hand_this_week(
    client: Client, db: AsyncSession, person: Person, set_hours: SetHours
) -> None:
    await set_hours(person, LAST_MONDAY, time(8), time(12), note="Alleen ochtend")
    await set_hours(person, MONDAY, time(9), time(17), note="Hele dag")

    await client.post(COPY_URL, params=WEEK)

    assert await note_on(db, person, MONDAY) == "Hele dag"


async def test_copying_leaves_the_hours_of_a_day_with_a_half_day_set_by_hand(
    client: Client, db: AsyncSession, person: Person, set_entry: SetEntry, set_hours: SetHours
) -> None:
    await set_hours(person, LAST_MONDAY, note="Alleen ochtend")
    await set_entry(person, MONDAY, "morning", "home")

    await client.post(COPY_URL, params=WEEK)

    assert await note_on(db, person, MONDAY) is None


@pytest.mark.usefixtures("home_last_monday")
async def test_the_week_page_says_how_many_half_days_were_copied(client: Client) -> None:
    assert "2 dagdelen overgenomen van vorige week." in await copy_on_page(client)


@pytest.mark.usefixtures("home_last_monday")
async def test_the_week_page_says_how_many_half_days_were_kept_as_they_were(
    client: Client, person: Person, set_entry: SetEntry
) -> None:
    await set_entry(person, MONDAY, "morning", "absent")

    message = await copy_on_page(client)

    assert "1 dagdeel overgenomen van vorige week." in message
    assert "1 dagdeel is gebleven zoals het was" in message


@pytest.mark.usefixtures("home_last_monday")
async def test_copying_a_second_time_keeps_every_half_day(client: Client) -> None:
    await client.post(COPY_URL, params=WEEK)

    message = await copy_on_page(client)

    assert "overgenomen" not in message
    assert "2 dagdelen zijn gebleven zoals ze waren" in message


@pytest.mark.usefixtures("person")
async def test_the_week_page_says_when_last_week_has_nothing_to_copy(client: Client) -> None:
    assert "Vorige week heeft geen zelf ingevulde dagdelen" in await copy_on_page(client)


# --- only what could be set by hand is copied ----------------------------------------------


async def backup_on(db: AsyncSession, person: Person, day: date) -> int | None:
    await db.rollback()
    return (
        await db.execute(
            select(DayReachability.backup_id).where(
                DayReachability.person_id == person.id, DayReachability.date == day
            )
        )
    ).scalar_one_or_none()


@pytest.fixture
async def backup(make_person: MakePerson, person: Person, set_hours: SetHours) -> Person:
    """Last Monday's backup colleague of ``person``, who left a note that day."""
    backup = await make_person("Joris Bakker")
    await set_hours(person, LAST_MONDAY, note="Bel Joris", backup=backup)
    return backup


@pytest.fixture
async def backup_absent_on_monday(backup: Person, set_entry: SetEntry) -> None:
    for part in ("morning", "afternoon"):
        await set_entry(backup, MONDAY, part, "absent")


async def test_copying_copies_a_backup_who_is_there_that_day(
    client: Client, db: AsyncSession, person: Person, backup: Person
) -> None:
    await client.post(COPY_URL, params=WEEK)

    assert await backup_on(db, person, MONDAY) == backup.id


@pytest.mark.usefixtures("backup_absent_on_monday")
async def test_copying_leaves_out_a_backup_who_is_absent_that_day(
    client: Client, db: AsyncSession, person: Person
) -> None:
    await client.post(COPY_URL, params=WEEK)

    assert await backup_on(db, person, MONDAY) is None


@pytest.mark.usefixtures("backup_absent_on_monday")
async def test_copying_keeps_the_rest_of_a_day_whose_backup_is_left_out(
    client: Client, db: AsyncSession, person: Person
) -> None:
    await client.post(COPY_URL, params=WEEK)

    assert await note_on(db, person, MONDAY) == "Bel Joris"


async def test_the_usual_backup_applies_where_an_absent_backup_is_left_out(
    client: Client,
    make_person: MakePerson,
    login_as: LoginAs,
    set_entry: SetEntry,
    set_hours: SetHours,
) -> None:
    usual, absent = await make_person("Vaste achtervang"), await make_person("Afwezig")
    person = await make_person(backup_id=usual.id)
    await login_as(person)
    await set_hours(person, LAST_MONDAY, note="Bel mij", backup=absent)
    await set_entry(absent, MONDAY, "morning", "absent")

    response = await client.post(COPY_URL, params=WEEK)

    assert response.json()[0]["backup"] == {"id": usual.id, "name": "Vaste achtervang"}


async def test_copying_keeps_a_backup_absent_only_while_the_copied_day_is_worked(
    client: Client,
    db: AsyncSession,
    person: Person,
    backup: Person,
    set_entry: SetEntry,
) -> None:
    await set_entry(person, LAST_MONDAY, "morning", "home")
    await set_entry(person, LAST_MONDAY, "afternoon", "absent")
    await set_entry(backup, MONDAY, "morning", "absent")

    await client.post(COPY_URL, params=WEEK)

    assert await backup_on(db, person, MONDAY) == backup.id


async def test_copying_leaves_out_a_backup_who_is_no_longer_active(
    client: Client, db: AsyncSession, person: Person, backup: Person
) -> None:
    backup.active = False
    db.add(backup)
    await db.commit()

    await client.post(COPY_URL, params=WEEK)

    assert await backup_on(db, person, MONDAY) is None


@pytest.mark.usefixtures("backup_absent_on_monday")
async def test_the_week_page_says_a_backup_was_left_out(client: Client) -> None:
    message = await copy_on_page(client)

    assert "De achtervang van vorige week is voor 1 dag niet overgenomen" in message


async def test_copying_stores_no_day_for_which_only_a_backup_was_left_out(
    client: Client,
    db: AsyncSession,
    person: Person,
    make_person: MakePerson,
    set_entry: SetEntry,
    set_hours: SetHours,
) -> None:
    backup = await make_person()
    await set_hours(person, LAST_MONDAY, backup=backup)
    await set_entry(backup, MONDAY, "morning", "absent")

    await client.post(COPY_URL, params=WEEK)

    await db.rollback()
    stored = await db.execute(
        select(DayReachability.id).where(
            DayReachability.person_id == person.id, DayReachability.date == MONDAY
        )
    )
    assert stored.all() == []


@pytest.fixture
async def satellite_last_monday(person: Person, set_entry: SetEntry, sites: Sites) -> None:
    for part in ("morning", "afternoon"):
        await set_entry(person, LAST_MONDAY, part, "office", site=sites.satellite)


@pytest.mark.usefixtures("satellite_last_monday")
async def test_copying_leaves_a_half_day_at_a_closed_site_as_it_was(
    client: Client, db: AsyncSession, person: Person, sites: Sites
) -> None:
    sites.satellite.active = False
    db.add(sites.satellite)
    await db.commit()

    await client.post(COPY_URL, params=WEEK)

    assert await entries_on(db, person, MONDAY) == {}


@pytest.mark.usefixtures("satellite_last_monday")
async def test_copying_leaves_a_half_day_at_a_site_that_is_no_longer_an_office_as_it_was(
    client: Client, db: AsyncSession, person: Person, sites: Sites
) -> None:
    sites.satellite.kind = "community_venue"
    db.add(sites.satellite)
    await db.commit()

    await client.post(COPY_URL, params=WEEK)

    assert await entries_on(db, person, MONDAY) == {}


@pytest.mark.usefixtures("satellite_last_monday")
async def test_copying_still_copies_the_half_days_whose_site_is_open(
    client: Client, db: AsyncSession, person: Person, set_entry: SetEntry, sites: Sites
) -> None:
    await set_entry(person, LAST_MONDAY + timedelta(days=1), "morning", "home")
    sites.satellite.active = False
    db.add(sites.satellite)
    await db.commit()

    await client.post(COPY_URL, params=WEEK)

    assert await entries_on(db, person, MONDAY + timedelta(days=1)) == {"morning": "home"}


@pytest.mark.usefixtures("satellite_last_monday")
async def test_the_week_page_says_half_days_at_a_closed_site_were_not_copied(
    client: Client, db: AsyncSession, sites: Sites
) -> None:
    sites.satellite.active = False
    db.add(sites.satellite)
    await db.commit()

    message = await copy_on_page(client)

    assert "2 dagdelen zijn niet overgenomen: de locatie is niet meer beschikbaar" in message
    assert "Vorige week heeft geen" not in message
    assert "gebleven zoals" not in message
