"""My week offers to book a desk for half days planned at an office or field base that
has desks, when none is booked yet."""

from __future__ import annotations

from datetime import time, timedelta

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs, MakePerson
from tests.presence.conftest import TODAY, TOMORROW, BookDesk, SetEntry, Sites
from werkplek.presence.days import desks_to_book
from werkplek.presence.schemas import DayOut, PartOut, PersonRef
from werkplek.rooms.models import Space

TOWN_HALL, DEPOT = 1, 3
WITH_DESKS = {TOWN_HALL, DEPOT}


def planned(
    morning: tuple[str, int | None], afternoon: tuple[str, int | None], *, desk: str | None = None
) -> DayOut:
    """Tomorrow with each half day's kind and site (the morning's desk booked, if given)."""
    parts = [
        PartOut("morning", morning[0], "entry", site_id=morning[1], desk=desk),
        PartOut("afternoon", afternoon[0], "entry", site_id=afternoon[1]),
    ]
    return DayOut(
        PersonRef(1, "Anna"), TOMORROW, parts, time(8, 30), time(17), "default", "", None, "none"
    )


def test_a_whole_office_day_without_a_desk_offers_the_whole_day_once() -> None:
    day = planned(("office", TOWN_HALL), ("office", TOWN_HALL))

    assert desks_to_book(day, TODAY, WITH_DESKS) == {"morning": "day"}


def test_an_office_morning_offers_the_morning() -> None:
    day = planned(("office", TOWN_HALL), ("home", None))

    assert desks_to_book(day, TODAY, WITH_DESKS) == {"morning": "morning"}


def test_a_field_base_afternoon_offers_the_afternoon() -> None:
    day = planned(("home", None), ("field_base", DEPOT))

    assert desks_to_book(day, TODAY, WITH_DESKS) == {"afternoon": "afternoon"}


def test_halves_at_two_sites_are_offered_each_on_its_own() -> None:
    day = planned(("office", TOWN_HALL), ("field_base", DEPOT))

    assert desks_to_book(day, TODAY, WITH_DESKS) == {
        "morning": "morning",
        "afternoon": "afternoon",
    }


def test_a_half_day_with_a_desk_booked_offers_nothing() -> None:
    day = planned(("office", TOWN_HALL), ("home", None), desk="Flexplek 2.14")

    assert desks_to_book(day, TODAY, WITH_DESKS) == {}


def test_a_site_without_desks_offers_nothing() -> None:
    day = planned(("office", 2), ("office", 2))

    assert desks_to_book(day, TODAY, WITH_DESKS) == {}


def test_a_day_gone_by_offers_nothing() -> None:
    day = planned(("office", TOWN_HALL), ("office", TOWN_HALL))

    assert desks_to_book(day, TOMORROW + timedelta(days=1), WITH_DESKS) == {}


async def test_my_week_links_an_office_day_to_werkplek_boeken(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    sites: Sites,
    desk: Space,
    set_entry: SetEntry,
) -> None:
    anna = await make_person("Anna")
    for part in ("morning", "afternoon"):
        await set_entry(anna, TOMORROW, part, "office", site=sites.town_hall)
    await login_as(anna)

    page = (await client.get("/my-week")).text

    link = f"/book/desk?site={sites.town_hall.id}&amp;date={TOMORROW.isoformat()}&amp;day_part=day"
    assert f'<a href="{link}">Werkplek boeken' in page


async def test_my_week_offers_no_desk_once_one_is_booked(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    sites: Sites,
    desk: Space,
    set_entry: SetEntry,
    book_desk: BookDesk,
) -> None:
    anna = await make_person("Anna")
    await set_entry(anna, TOMORROW, "morning", "office", site=sites.town_hall)
    await book_desk(anna, desk, TOMORROW, "morning")
    await login_as(anna)

    page = (await client.get("/my-week")).text

    assert "/book/desk?" not in page
