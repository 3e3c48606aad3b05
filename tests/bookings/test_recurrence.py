"""Weekly bookings: each date that can be booked is, the others are skipped with the reason."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    NEXT_MONDAY,
    TODAY,
    Book,
    Run,
    World,
    actor,
    all_bookings,
    count_bookings,
    desk_booking,
)
from tests.conftest import LoginAs, MakePerson
from werkplek.bookings import services
from werkplek.bookings.models import BookingSeries
from werkplek.bookings.schemas import BookingIn, RecurrenceIn
from werkplek.clock import FixedClock
from werkplek.errors import DomainError

Client = AsyncTestClient[Litestar]
MONDAY, THURSDAY = 0, 3


def weekly(world: World, first: date, until: date, *weekdays: int) -> BookingIn:
    """Anna's usual desk in the morning on ``weekdays`` from ``first`` to ``until``."""
    return desk_booking(
        world.desk, first, recurrence=RecurrenceIn(weekdays=list(weekdays), until=until)
    )


@pytest.fixture
async def taken_by_bram(world: World, book: Book, make_person: MakePerson) -> None:
    """Bram holds the desk next Monday morning."""
    await book(await make_person("Bram"), desk_booking(world.desk, NEXT_MONDAY))


async def test_a_weekly_booking_books_each_chosen_weekday(
    world: World, db: AsyncSession, book: Book
) -> None:
    world.site.max_days_ahead = 30
    await db.commit()
    until = NEXT_MONDAY + timedelta(days=10)  # Thursday 10 December

    result = await book(world.anna, weekly(world, NEXT_MONDAY, until, MONDAY, THURSDAY))

    assert [b.start_at.date() for b in result.created] == [
        date(2026, 11, 30),
        date(2026, 12, 3),
        date(2026, 12, 7),
        date(2026, 12, 10),
    ]


async def test_the_bookings_of_a_series_share_it(
    world: World, db: AsyncSession, book: Book
) -> None:
    result = await book(
        world.anna, weekly(world, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=7), MONDAY)
    )

    series = await db.get(BookingSeries, result.series.id)
    assert series is not None
    assert (series.weekdays, series.first_date, series.until) == (
        "0",
        NEXT_MONDAY,
        NEXT_MONDAY + timedelta(days=7),
    )
    series_id = series.id
    assert {b.series_id for b in await all_bookings(db)} == {series_id}


async def test_a_taken_date_is_skipped_and_never_double_booked(
    world: World, make_person: MakePerson, db: AsyncSession, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(bram, desk_booking(world.desk, NEXT_MONDAY + timedelta(days=7)))

    result = await book(
        world.anna, weekly(world, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=7), MONDAY)
    )

    assert len(result.created) == 1
    assert [(s.date, s.error) for s in result.skipped] == [
        (NEXT_MONDAY + timedelta(days=7), "booking_conflict")
    ]
    assert await count_bookings(db, space_id=world.desk.id) == 2


async def test_public_holidays_are_skipped(world: World, db: AsyncSession, book: Book) -> None:
    world.site.max_days_ahead = 60
    await db.commit()

    result = await book(
        world.anna,
        weekly(world, date(2026, 12, 18), date(2027, 1, 1), 4),  # Fridays
    )

    assert [b.start_at.date() for b in result.created] == [date(2026, 12, 18)]
    assert [(s.date, s.error) for s in result.skipped] == [
        (date(2026, 12, 25), "site_closed"),
        (date(2027, 1, 1), "site_closed"),
    ]


async def test_dates_beyond_max_days_ahead_are_skipped(world: World, book: Book) -> None:
    result = await book(
        world.anna, weekly(world, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=14), MONDAY)
    )

    assert len(result.created) == 2  # 30 Nov and 7 Dec; 14 Dec is 19 days ahead
    assert [s.error for s in result.skipped] == ["too_far_ahead"]


async def test_a_series_of_which_nothing_can_be_booked_is_refused_and_stores_nothing(
    world: World, db: AsyncSession, book: Book
) -> None:
    with pytest.raises(DomainError) as info:
        await book(
            world.anna,
            weekly(world, TODAY + timedelta(days=20), TODAY + timedelta(days=40), MONDAY),
        )

    assert (info.value.code, info.value.field) == ("no_bookable_dates", "recurrence")
    assert await count_bookings(db) == 0
    await db.rollback()
    assert (await db.get(BookingSeries, 1)) is None


async def test_an_end_before_the_first_date_is_refused(world: World, book: Book) -> None:
    with pytest.raises(DomainError) as info:
        await book(world.anna, weekly(world, NEXT_MONDAY, NEXT_MONDAY - timedelta(days=3), MONDAY))

    assert (info.value.code, info.value.field) == ("invalid_recurrence", "recurrence.until")


async def test_cancelling_with_the_series_cancels_this_and_later_dates(
    world: World, run: Run, clock: FixedClock, db: AsyncSession, book: Book
) -> None:
    world.site.max_days_ahead = 30
    await db.commit()
    result = await book(
        world.anna, weekly(world, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=10), MONDAY, THURSDAY)
    )
    second = result.created[1]

    await run(services.cancel_booking, clock, actor(world.anna), second.id, whole_series=True)

    assert [b.status for b in await all_bookings(db)] == [
        "confirmed",
        "cancelled",
        "cancelled",
        "cancelled",
    ]


@pytest.mark.usefixtures("taken_by_bram")
async def test_the_api_lists_created_and_skipped_dates(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings",
        json={
            "space_id": world.desk.id,
            "date": NEXT_MONDAY.isoformat(),
            "day_part": "morning",
            "recurrence": {"weekdays": [0], "until": (NEXT_MONDAY + timedelta(days=7)).isoformat()},
        },
    )

    assert response.status_code == 201
    body = response.json()
    assert [b["date"] for b in body["bookings"]] == ["2026-12-07"]
    assert body["skipped"][0]["date"] == "2026-11-30"
    assert body["skipped"][0]["error"] == "booking_conflict"
    assert body["skipped"][0]["message"].startswith("Deze ruimte is al gereserveerd")
    assert body["series_id"] == body["bookings"][0]["series_id"]


async def test_the_api_refuses_an_unknown_weekday(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.post(
        "/api/bookings",
        json={
            "space_id": world.desk.id,
            "date": NEXT_MONDAY.isoformat(),
            "day_part": "morning",
            "recurrence": {"weekdays": [7], "until": NEXT_MONDAY.isoformat()},
        },
    )

    assert response.status_code == 400
    assert response.json()["fields"][0]["field"] == "recurrence.weekdays[0]"


@pytest.fixture
async def series_with_a_taken_monday(world: World, book: Book, taken_by_bram: None) -> int:
    """Anna's desk on Mondays for two weeks, of which Bram holds the first: the series id."""
    result = await book(
        world.anna, weekly(world, NEXT_MONDAY, NEXT_MONDAY + timedelta(days=7), MONDAY)
    )
    series_id: int = result.series.id
    return series_id


async def test_a_series_names_its_dates_that_were_not_booked(
    world: World, run: Run, series_with_a_taken_monday: int
) -> None:
    missing = await run(
        services.series_dates_not_booked, actor(world.anna), series_with_a_taken_monday
    )

    assert missing == [NEXT_MONDAY]


async def test_someone_elses_series_is_not_found(
    run: Run, make_person: MakePerson, series_with_a_taken_monday: int
) -> None:
    bram = await make_person("Bram de Boer")

    with pytest.raises(DomainError) as info:
        await run(services.series_dates_not_booked, actor(bram), series_with_a_taken_monday)

    assert info.value.status_code == 404


async def test_my_bookings_after_a_weekly_booking_lists_the_dates_not_booked(
    client: Client, world: World, login_as: LoginAs, series_with_a_taken_monday: int
) -> None:
    await login_as(world.anna)

    response = await client.get("/bookings", params={"series": series_with_a_taken_monday})

    assert "Deze datums konden niet worden gereserveerd" in response.text
    assert "maandag 30-11-2026" in response.text


@pytest.fixture
async def desk_page_with_a_taken_monday(
    client: Client, world: World, login_as: LoginAs, taken_by_bram: None
) -> str:
    """Anna books her desk on Mondays for two weeks on the desk page (htmx); Bram holds it
    the first Monday. The page part answered."""
    headers = await login_as(world.anna)
    response = await client.post(
        "/book/desk",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "site": str(world.site.id),
            "date": NEXT_MONDAY.isoformat(),
            "day_part": "morning",
            "space_id": str(world.desk.id),
            "repeat_weekdays": ["0"],
            "repeat_until": (NEXT_MONDAY + timedelta(days=7)).isoformat(),
        },
        headers={"HX-Request": "true"},
    )
    return response.text


async def test_booking_weekly_on_the_desk_page_names_each_date_skipped_and_why(
    desk_page_with_a_taken_monday: str,
) -> None:
    assert (
        "maandag 30-11-2026: Deze ruimte is al gereserveerd op 30-11-2026 van 07:30 tot 13:00."
        in desk_page_with_a_taken_monday
    )


async def test_booking_weekly_on_the_desk_page_counts_one_date_in_the_singular(
    desk_page_with_a_taken_monday: str,
) -> None:
    assert (
        "1 datum gereserveerd; deze konden niet worden gereserveerd:"
        in desk_page_with_a_taken_monday
    )
