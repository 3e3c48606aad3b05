"""The desk waitlist: who finds no desk free waits, and the scheduler books the first desk
that comes free for the first waiting, with every booking rule, and tells them."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import TOMORROW, Run, actor, all_bookings, at, desk_booking
from tests.conftest import LoginAs, MakeFloor, MakePerson, MakeSite, MakeSpace
from werkplek.bookings import services, waitlist
from werkplek.bookings.models import DeskWait
from werkplek.bookings.schemas import WaitIn
from werkplek.clock import FixedClock
from werkplek.config import Settings
from werkplek.errors import DomainError
from werkplek.notifications.models import OutboxMail
from werkplek.notifications.render import render_mail
from werkplek.people.models import Person
from werkplek.rooms.models import Site, Space
from werkplek.rooms.services import DayPart

Client = AsyncTestClient[Litestar]
MORNING = DayPart.MORNING


@dataclass
class Full:
    """A site whose one desk Anna holds tomorrow morning; Bram and Cor find none free."""

    site: Site
    desk: Space
    anna: Person
    bram: Person
    cor: Person
    anna_booking: int


@pytest.fixture
async def full(
    make_site: MakeSite, make_space: MakeSpace, make_person: MakePerson, run: Run, clock: Any
) -> Full:
    site = await make_site()
    desk = await make_space(site, "Flexplek 1")
    anna, bram, cor = [await make_person(name) for name in ("Anna", "Bram", "Cor")]
    result = await run(services.create_booking, clock, actor(anna), desk_booking(desk))
    return Full(site, desk, anna, bram, cor, result.created[0].id)


def wait_for(site: Site, part: DayPart = MORNING) -> WaitIn:
    return WaitIn(site_id=site.id, date=TOMORROW, day_part=part)


async def waiting(db: AsyncSession) -> list[str]:
    """Who waits, first come first."""
    await db.rollback()
    rows = await db.execute(
        select(Person.name)
        .join(DeskWait, DeskWait.person_id == Person.id)
        .order_by(DeskWait.created_at, DeskWait.id)
    )
    return list(rows.scalars())


async def mails(db: AsyncSession, template: str) -> list[OutboxMail]:
    await db.rollback()
    rows = await db.execute(select(OutboxMail).where(OutboxMail.template == template))
    return list(rows.scalars())


async def refusal(run: Run, *args: Any) -> DomainError:
    with pytest.raises(DomainError) as refused:
        await run(*args)
    return refused.value


# --- joining and leaving ------------------------------------------------------------------


async def test_someone_who_finds_no_desk_free_joins_the_waitlist(
    full: Full, run: Run, clock: FixedClock
) -> None:
    wait = await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))

    assert (wait.site_name, wait.date, wait.day_part) == ("Stadskantoor", TOMORROW, MORNING)
    assert await run(waitlist.my_waits, actor(full.bram)) == [wait]


async def test_joining_while_a_desk_is_free_is_refused_to_book_it_instead(
    full: Full, run: Run, clock: FixedClock
) -> None:
    refused = await refusal(
        run, waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site, DayPart.AFTERNOON)
    )

    assert (refused.status_code, refused.code, refused.field) == (409, "desk_free", "day_part")


async def test_a_second_wait_for_the_same_day_part_is_refused(
    full: Full, run: Run, clock: FixedClock
) -> None:
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))

    refused = await refusal(
        run, waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site)
    )

    assert (refused.status_code, refused.code) == (409, "already_waiting")


async def test_a_wait_for_the_whole_day_overlapping_a_morning_wait_is_refused(
    full: Full, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    # The afternoon is full too: Cor holds the desk then.
    await run(
        services.create_booking, clock, actor(full.cor), desk_booking(full.desk, part="afternoon")
    )

    refused = await refusal(
        run, waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site, DayPart.DAY)
    )

    assert refused.code == "already_waiting"


async def test_joining_for_a_day_part_that_has_begun_is_refused(
    full: Full, run: Run, clock: FixedClock
) -> None:
    clock.set(at(TOMORROW, 7, 30))

    refused = await refusal(
        run, waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site)
    )

    assert (refused.code, refused.field) == ("day_part_begun", "day_part")


async def test_a_wait_on_a_floor_of_another_site_is_refused_at_floor_id(
    full: Full, run: Run, clock: FixedClock, make_site: MakeSite, make_floor: MakeFloor
) -> None:
    floor = await make_floor(await make_site("Dorpshuis"))
    data = WaitIn(site_id=full.site.id, floor_id=floor.id, date=TOMORROW, day_part=MORNING)

    refused = await refusal(run, waitlist.join_waitlist, clock, actor(full.bram), data)

    assert (refused.status_code, refused.code, refused.field) == (
        422,
        "floor_not_at_site",
        "floor_id",
    )


async def test_leaving_the_waitlist_removes_the_wait(
    full: Full, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    wait = await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))

    await run(waitlist.leave_waitlist, actor(full.bram), wait.id)

    assert await waiting(db) == []


async def test_nobody_leaves_anothers_wait(
    full: Full, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    wait = await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))

    refused = await refusal(run, waitlist.leave_waitlist, actor(full.cor), wait.id)

    assert refused.status_code == 404
    assert await waiting(db) == ["Bram"]


# --- the job ------------------------------------------------------------------------------


async def test_the_job_books_a_cancelled_desk_for_the_first_waiting(
    full: Full, run: Run, clock: FixedClock, db: AsyncSession, settings: Settings
) -> None:
    desk_id, bram_id = full.desk.id, full.bram.id
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    await run(waitlist.join_waitlist, clock, actor(full.cor), wait_for(full.site))
    await run(services.cancel_booking, clock, actor(full.anna), full.anna_booking)

    await run(waitlist.desk_waitlist_job, clock, settings)

    active = [b for b in await all_bookings(db) if b.status == "confirmed"]
    assert [(b.space_id, b.booked_for_id) for b in active] == [(desk_id, bram_id)]
    assert await waiting(db) == ["Cor"]


async def test_the_job_books_nothing_while_no_desk_is_free(
    full: Full, run: Run, clock: FixedClock, db: AsyncSession, settings: Settings
) -> None:
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))

    await run(waitlist.desk_waitlist_job, clock, settings)

    assert len(await all_bookings(db)) == 1
    assert await waiting(db) == ["Bram"]


async def test_the_job_does_not_book_a_desk_reserved_for_other_teams(
    full: Full,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    settings: Settings,
    make_space: MakeSpace,
    make_team: Any,
) -> None:
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    await make_space(full.site, "Flexplek Buitendienst", teams=(await make_team("Buitendienst"),))

    await run(waitlist.desk_waitlist_job, clock, settings)

    assert len(await all_bookings(db)) == 1
    assert await waiting(db) == ["Bram"]


async def test_a_desk_reserved_for_a_team_goes_to_the_next_waiting_who_is_in_it(
    full: Full,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    settings: Settings,
    make_space: MakeSpace,
    make_team: Any,
    make_person: MakePerson,
) -> None:
    team = await make_team("Buitendienst")
    reserved = await make_space(full.site, "Flexplek Buitendienst", teams=(team,))
    inspector = await make_person("Ilse", teams=(team,))
    await run(services.create_booking, clock, actor(inspector), desk_booking(reserved))
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    await run(
        waitlist.join_waitlist,
        clock,
        actor(await make_person("Dirk", teams=(team,))),
        wait_for(full.site),
    )
    ilse_booking = next(b for b in await all_bookings(db) if b.space_id == reserved.id).id
    await run(services.cancel_booking, clock, actor(inspector), ilse_booking)

    await run(waitlist.desk_waitlist_job, clock, settings)

    assert await waiting(db) == ["Bram"]


async def test_no_wait_means_the_job_takes_no_write_lock(
    run: Run, clock: FixedClock, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def forbidden(_session: AsyncSession) -> None:
        raise AssertionError("took the write lock")

    monkeypatch.setattr(waitlist, "lock_for_write", forbidden)
    await run(waitlist.desk_waitlist_job, clock, settings)


async def test_the_job_does_not_book_beyond_the_capacity_cap(
    full: Full,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    settings: Settings,
    make_space: MakeSpace,
) -> None:
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    # A second desk, but at most half of the two may be booked: Anna's is the one.
    await make_space(full.site, "Flexplek 2")
    full.site.capacity_cap_percent = 50
    await db.commit()

    await run(waitlist.desk_waitlist_job, clock, settings)

    assert len(await all_bookings(db)) == 1
    assert await waiting(db) == ["Bram"]


async def test_a_wait_on_a_floor_is_not_served_by_a_desk_elsewhere_at_the_site(
    full: Full,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    settings: Settings,
    make_floor: MakeFloor,
    make_space: MakeSpace,
) -> None:
    floor = await make_floor(full.site, "Tweede verdieping")
    on_floor = await make_space(full.site, "Flexplek 2.01", floor_id=floor.id)
    await run(services.create_booking, clock, actor(full.cor), desk_booking(on_floor))
    data = WaitIn(site_id=full.site.id, floor_id=floor.id, date=TOMORROW, day_part=MORNING)
    await run(waitlist.join_waitlist, clock, actor(full.bram), data)
    await run(services.cancel_booking, clock, actor(full.anna), full.anna_booking)

    await run(waitlist.desk_waitlist_job, clock, settings)

    assert await waiting(db) == ["Bram"]


async def test_a_waiter_who_booked_a_desk_meanwhile_is_taken_off_the_list(
    full: Full,
    run: Run,
    clock: FixedClock,
    db: AsyncSession,
    settings: Settings,
    make_site: MakeSite,
    make_space: MakeSpace,
) -> None:
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    elsewhere = await make_space(await make_site("Dorpshuis"), "Flexplek D")
    elsewhere_id = elsewhere.id
    await run(services.create_booking, clock, actor(full.bram), desk_booking(elsewhere))
    await run(services.cancel_booking, clock, actor(full.anna), full.anna_booking)

    await run(waitlist.desk_waitlist_job, clock, settings)

    assert await waiting(db) == []
    held = [b for b in await all_bookings(db) if b.status == "confirmed"]
    assert [b.space_id for b in held] == [elsewhere_id]
    assert await mails(db, "waitlist_expired") == []


async def test_a_wait_ends_when_its_day_part_begins(
    full: Full, run: Run, clock: FixedClock, db: AsyncSession, settings: Settings
) -> None:
    bram_id = full.bram.id
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    clock.set(at(TOMORROW, 7, 30))

    await run(waitlist.desk_waitlist_job, clock, settings)

    assert await waiting(db) == []
    (mail,) = await mails(db, "waitlist_expired")
    assert (mail.person_id, mail.kind) == (bram_id, "booking_cancelled")


async def test_the_mail_that_no_desk_came_free_is_sent_once(
    full: Full, run: Run, clock: FixedClock, db: AsyncSession, settings: Settings
) -> None:
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    clock.set(at(TOMORROW, 7, 30))

    await run(waitlist.desk_waitlist_job, clock, settings)
    await run(waitlist.desk_waitlist_job, clock, settings)

    assert len(await mails(db, "waitlist_expired")) == 1


async def test_the_confirmation_of_a_desk_from_the_waitlist_is_queued_once_and_says_so(
    full: Full, run: Run, clock: FixedClock, db: AsyncSession, settings: Settings
) -> None:
    bram_id = full.bram.id
    await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    await run(services.cancel_booking, clock, actor(full.anna), full.anna_booking)

    await run(waitlist.desk_waitlist_job, clock, settings)
    await run(waitlist.desk_waitlist_job, clock, settings)

    confirmations = [m for m in await mails(db, "booking_confirmed") if m.person_id == bram_id]
    assert len(confirmations) == 1
    assert json.loads(confirmations[0].context)["from_waitlist"] is True


def test_a_confirmation_from_the_waitlist_says_the_waitlist_booked_it(settings: Settings) -> None:
    desk = {
        "start": "2026-11-26T06:30:00+00:00",
        "end": "2026-11-26T12:00:00+00:00",
        "day_part": "morning",
        "kind": "desk",
        "space": "Flexplek 1",
        "site": "Stadskantoor",
        "address": "",
        "title": "",
    }
    context = {"name": "Bram", "bookings": [desk], "from_waitlist": True}

    subject, body = render_mail(settings, "booking_confirmed", context, "nl")

    assert subject.startswith("Geboekt via de wachtlijst: Flexplek 1 (Stadskantoor)")
    assert "terwijl u op de wachtlijst stond" in body


# --- API and pages ------------------------------------------------------------------------


async def test_the_api_joins_lists_and_leaves_the_waitlist(
    full: Full, client: Client, login_as: LoginAs
) -> None:
    headers = await login_as(full.bram)
    body = {"site_id": full.site.id, "date": TOMORROW.isoformat(), "day_part": "morning"}

    joined = await client.post("/api/waitlist", json=body, headers=headers)
    listed = await client.get("/api/waitlist")
    left = await client.delete(f"/api/waitlist/{joined.json()['id']}", headers=headers)

    assert joined.status_code == 201
    assert [wait["id"] for wait in listed.json()] == [joined.json()["id"]]
    assert left.status_code == 204
    assert (await client.get("/api/waitlist")).json() == []


async def test_the_api_refuses_a_wait_where_a_desk_is_free_with_409(
    full: Full, client: Client, login_as: LoginAs
) -> None:
    headers = await login_as(full.bram)
    body = {"site_id": full.site.id, "date": TOMORROW.isoformat(), "day_part": "afternoon"}

    response = await client.post("/api/waitlist", json=body, headers=headers)

    assert response.status_code == 409
    assert response.json()["error"] == "desk_free"


async def test_the_desk_page_offers_the_waitlist_when_no_desk_is_free(
    full: Full, client: Client, login_as: LoginAs
) -> None:
    await login_as(full.bram)
    params = {"site": full.site.id, "date": TOMORROW.isoformat(), "day_part": "morning"}

    response = await client.get("/book/desk", params=params)

    assert 'action="/book/desk/waitlist"' in response.text
    assert "Op de wachtlijst" in response.text


async def test_the_desk_page_offers_no_waitlist_while_a_desk_is_free(
    full: Full, client: Client, login_as: LoginAs
) -> None:
    await login_as(full.bram)
    params = {"site": full.site.id, "date": TOMORROW.isoformat(), "day_part": "afternoon"}

    response = await client.get("/book/desk", params=params)

    assert 'action="/book/desk/waitlist"' not in response.text


async def test_joining_from_the_desk_page_without_script_shows_the_wait_on_my_bookings(
    full: Full, client: Client, login_as: LoginAs
) -> None:
    headers = await login_as(full.bram)
    form = {
        "_csrf": headers["X-CSRF-Token"],
        "site": str(full.site.id),
        "floor": "",
        "date": TOMORROW.isoformat(),
        "day_part": "morning",
    }

    response = await client.post("/book/desk/waitlist", data=form)

    assert "U staat op de wachtlijst" in response.text
    assert "Wachtlijst</h2>" in response.text
    assert "Verlaten" in response.text


async def test_leaving_from_my_bookings_removes_the_wait(
    full: Full, client: Client, login_as: LoginAs, run: Run, clock: FixedClock, db: AsyncSession
) -> None:
    wait = await run(waitlist.join_waitlist, clock, actor(full.bram), wait_for(full.site))
    headers = await login_as(full.bram)

    response = await client.post(
        f"/bookings/waitlist/{wait.id}/leave", data={"_csrf": headers["X-CSRF-Token"]}
    )

    assert "U staat niet meer op de wachtlijst." in response.text
    assert await waiting(db) == []
