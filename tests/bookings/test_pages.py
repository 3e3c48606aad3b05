"""The booking pages: they render, book through plain form posts and through htmx."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.bookings.conftest import (
    NEXT_MONDAY,
    TODAY,
    TOMORROW,
    Book,
    MakeSite,
    MakeSpace,
    World,
    actor,
    all_bookings,
    at,
    count_bookings,
    desk_booking,
    room_booking,
    room_form,
)
from tests.conftest import LoginAs, MakePerson, add_closure
from werkplek.bookings import favourites, services
from werkplek.bookings.schemas import RecurrenceIn
from werkplek.clock import AMSTERDAM, FixedClock
from werkplek.people.models import Person, Role, Team
from werkplek.rooms.models import Floor, Site

Client = AsyncTestClient[Litestar]
HTMX = {"HX-Request": "true"}
LAST_DAY = TODAY + timedelta(days=14)  # the sites allow booking 14 days ahead
BEYOND = LAST_DAY + timedelta(days=1)


@dataclass
class OtherSite:
    site: Site
    floor: Floor


@pytest.fixture
async def other_site(
    db: AsyncSession, world: World, make_site: MakeSite, make_space: MakeSpace
) -> OtherSite:
    """A second site, Marrewoude, with one floor and one desk on it."""
    site = await make_site("Marrewoude")
    floor = Floor(site_id=site.id, name="Begane grond", level=0)
    db.add(floor)
    await db.commit()
    await make_space(site, "Werkplek M.01", floor_id=floor.id)
    return OtherSite(site, floor)


def desk_form(world: World, csrf: str, **extra: str) -> dict[str, str]:
    return {
        "_csrf": csrf,
        "site": str(world.site.id),
        "floor": "",
        "date": TOMORROW.isoformat(),
        "day_part": "morning",
        "space_id": str(world.desk.id),
        **extra,
    }


# --- book a desk --------------------------------------------------------------------------


async def test_the_desk_page_lists_free_desks_with_a_book_button(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert response.status_code == 200
    assert f'name="space_id" value="{world.desk.id}"' in response.text
    assert "Flexplek 1.01 reserveren" in response.text


async def test_the_desk_page_starts_on_the_whole_day_while_the_morning_is_under_way(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/book/desk", params={"site": world.site.id})

    assert '<option value="day" selected>' in response.text


async def test_the_desk_page_starts_on_the_afternoon_once_the_morning_has_ended(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock
) -> None:
    await login_as(world.anna)
    clock.set(at(TODAY, 14))

    response = await client.get("/book/desk", params={"site": world.site.id})

    assert '<option value="afternoon" selected>' in response.text


async def test_the_desk_page_keeps_the_whole_day_when_it_is_chosen_after_the_morning(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock
) -> None:
    await login_as(world.anna)
    clock.set(at(TODAY, 14))

    response = await client.get("/book/desk", params={"site": world.site.id, "day_part": "day"})

    assert '<option value="day" selected>' in response.text


async def test_the_desk_page_starts_on_the_next_open_day_once_the_site_has_closed(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock
) -> None:
    clock.set(at(TODAY, 19))
    await login_as(world.anna)

    response = await client.get("/book/desk", params={"site": world.site.id})

    assert f'name="date" type="date" value="{TOMORROW.isoformat()}"' in response.text


async def test_the_desk_page_keeps_a_date_asked_for_once_the_site_has_closed(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock
) -> None:
    clock.set(at(TODAY, 19))
    await login_as(world.anna)

    response = await client.get(
        "/book/desk", params={"site": world.site.id, "date": TODAY.isoformat()}
    )

    assert f'name="date" type="date" value="{TODAY.isoformat()}"' in response.text


async def test_the_room_page_starts_on_the_next_open_day_once_the_site_has_closed(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock
) -> None:
    clock.set(at(TODAY, 19))
    await login_as(world.anna)

    response = await client.get("/book/room", params={"site": world.site.id})

    assert f'name="date" type="date" value="{TOMORROW.isoformat()}"' in response.text


async def test_the_desk_page_shows_only_desks_with_the_chosen_amenities(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "amenity": "screen"},
    )

    assert " Flexplek 1.01</th>" in response.text
    assert " Flexplek 1.02</th>" not in response.text
    assert 'name="amenity" value="screen" checked' in response.text


async def test_the_desk_page_says_when_no_desk_has_the_chosen_amenities(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "amenity": "wheelchair"},
    )

    assert "Geen werkplekken met deze voorzieningen." in response.text


async def test_booking_with_htmx_keeps_the_amenity_filter(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk",
        data={**desk_form(world, headers["X-CSRF-Token"]), "amenity": "screen"},
        headers=HTMX,
    )

    assert "Gereserveerd: Flexplek 1.01." in response.text
    assert " Flexplek 1.02</th>" not in response.text


@pytest.mark.parametrize(("field", "value"), [("amenity", "screen"), ("free", "1")])
async def test_booking_with_a_plain_form_keeps_the_filter_in_the_redirect(
    client: Client, world: World, login_as: LoginAs, field: str, value: str
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk",
        data={**desk_form(world, headers["X-CSRF-Token"]), field: value},
        follow_redirects=False,
    )

    assert f"{field}={value}" in response.headers["location"]


@pytest.fixture
async def desk2_taken(world: World, make_person: MakePerson, book: Book) -> None:
    """Bram has Flexplek 1.02 all of tomorrow."""
    await book(await make_person("Bram"), desk_booking(world.desk2, part="day"))


async def free_desks_only(client: Client, world: World) -> str:
    """Werkplek boeken for tomorrow with only the free desks listed."""
    params = {"site": world.site.id, "date": TOMORROW.isoformat(), "free": "1"}
    return (await client.get("/book/desk", params=params)).text


async def test_free_desks_only_leaves_out_the_taken_ones(
    client: Client, world: World, login_as: LoginAs, desk2_taken: None
) -> None:
    await login_as(world.anna)

    page = await free_desks_only(client, world)

    assert " Flexplek 1.01</th>" in page
    assert " Flexplek 1.02</th>" not in page


async def test_free_desks_only_still_counts_every_desk(
    client: Client, world: World, login_as: LoginAs, desk2_taken: None
) -> None:
    await login_as(world.anna)

    page = await free_desks_only(client, world)

    assert "2 van de 3 werkplekken vrij. Alleen de vrije staan in de lijst." in " ".join(
        page.split()
    )


async def test_free_desks_only_leaves_out_the_favourites_when_none_is_free(
    client: Client,
    db: AsyncSession,
    world: World,
    login_as: LoginAs,
    clock: FixedClock,
    desk2_taken: None,
) -> None:
    await favourites.add_favourite(db, clock, actor(world.anna), world.desk2.id)
    await login_as(world.anna)

    page = await free_desks_only(client, world)

    assert "Flexplek 1.02</th>" not in page
    assert "Uw favoriete werkplekken" not in page


async def test_booking_with_htmx_keeps_the_free_desks_filter(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk",
        data={**desk_form(world, headers["X-CSRF-Token"]), "free": "1"},
        headers=HTMX,
    )

    assert '<input type="hidden" name="free" value="1">' in response.text


async def test_booking_a_desk_with_a_plain_form_redirects_and_stores_it(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk", data=desk_form(world, headers["X-CSRF-Token"]), follow_redirects=False
    )

    assert response.status_code in {302, 303}
    assert "booked=" in response.headers["location"]
    (booking,) = await all_bookings(db)
    assert (booking.space_id, booking.booked_for_id) == (world.desk.id, world.anna.id)


async def test_after_booking_the_page_says_so(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post("/book/desk", data=desk_form(world, headers["X-CSRF-Token"]))

    assert response.status_code == 200
    assert "Gereserveerd: Flexplek 1.01." in response.text


async def test_a_desk_that_needs_approval_booked_with_a_plain_form_is_said_to_be_requested(
    client: Client, world: World, login_as: LoginAs, make_space: MakeSpace
) -> None:
    guarded = await make_space(world.site, "Flexplek 1.04", requires_approval=True)
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk", data=desk_form(world, headers["X-CSRF-Token"], space_id=str(guarded.id))
    )

    assert (
        "Aangevraagd: Flexplek 1.04. "
        "De reservering is pas definitief als Facilitair haar goedkeurt." in response.text
    )


async def test_booking_with_htmx_answers_the_updated_list_only(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk", data=desk_form(world, headers["X-CSRF-Token"]), headers=HTMX
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="desk-results"')
    assert "<html" not in response.text
    assert "Gereserveerd: Flexplek 1.01." in response.text
    assert 'desk-state-yours">Van u' in response.text


async def test_after_booking_with_htmx_the_confirmation_is_the_one_status_message(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk", data=desk_form(world, headers["X-CSRF-Token"]), headers=HTMX
    )

    # The swapped list is no live region: the focus goes to the confirmation, which is read.
    assert response.text.count('role="status"') == 1
    assert '<p class="alert alert-success" role="status">Gereserveerd: Flexplek 1.01.</p>' in (
        response.text
    )
    assert "aria-live" not in response.text


async def test_the_filters_answer_the_filters_and_the_list_with_htmx(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "afternoon"},
        headers=HTMX,
    )

    assert response.text.lstrip().startswith('<div id="desk-booking">')
    assert "<html" not in response.text
    assert 'id="floor" name="floor"' in response.text
    assert "Middag" in response.text


async def test_changing_the_site_swaps_the_filters_so_its_floors_come_along(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/book/desk", params={"site": world.site.id})

    assert (
        '<select id="site" name="site" hx-get="/book/desk" hx-include="closest form" '
        'hx-trigger="change consume" hx-target="#desk-booking" hx-select="#desk-booking">'
    ) in response.text


async def test_the_floor_list_holds_the_chosen_sites_floors(
    client: Client, world: World, login_as: LoginAs, other_site: OtherSite
) -> None:
    await login_as(world.anna)

    response = await client.get("/book/desk", params={"site": other_site.site.id}, headers=HTMX)

    assert f'<option value="{other_site.floor.id}" >Begane grond</option>' in response.text
    assert "Eerste verdieping" not in response.text


async def test_a_floor_of_another_site_is_ignored(
    client: Client, world: World, login_as: LoginAs, other_site: OtherSite
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk", params={"site": other_site.site.id, "floor": world.floor.id}
    )

    # Only the language switch comes back to the address as asked for, floor and all.
    asked = f"/book/desk?site={other_site.site.id}&amp;floor={world.floor.id}"
    rest = response.text.replace(f'name="next" value="{asked}"', "")
    assert "Werkplek M.01 reserveren" in rest
    assert "Eerste verdieping" not in rest
    assert f"floor={world.floor.id}" not in rest


async def test_the_floor_plan_link_is_part_of_the_list_so_it_follows_the_filters(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "afternoon"},
    )

    results = response.text[response.text.index('<section id="desk-results"') :]
    assert (
        f'href="/plan?site={world.site.id}&amp;date={TOMORROW.isoformat()}&amp;day_part=afternoon"'
        in results
    )


@pytest.mark.parametrize("page", ["/book/desk", "/book/room"])
async def test_the_date_stops_at_the_sites_last_bookable_date(
    client: Client, world: World, login_as: LoginAs, page: str
) -> None:
    await login_as(world.anna)

    response = await client.get(page, params={"site": world.site.id})

    assert f'min="{TODAY.isoformat()}" max="{LAST_DAY.isoformat()}"' in response.text


async def test_desks_beyond_the_booking_horizon_are_not_offered(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk", params={"site": world.site.id, "date": BEYOND.isoformat()}
    )

    assert "Op deze locatie kunt u hoogstens 14 dagen vooruit reserveren." in response.text
    assert 'name="space_id"' not in response.text


async def test_desks_of_a_past_day_are_not_offered_and_the_page_says_why(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": (TODAY - timedelta(days=1)).isoformat()},
    )

    assert "Deze dag is voorbij: kies vandaag of een latere dag." in response.text
    assert "Wekelijks herhalen" not in response.text


async def test_desks_on_the_last_bookable_date_are_offered(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk", params={"site": world.site.id, "date": LAST_DAY.isoformat()}
    )

    assert "Flexplek 1.01 reserveren" in response.text


async def test_with_no_desk_free_all_day_the_page_links_to_the_halves_that_have_one(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    await book(await make_person("Bram"), desk_booking(world.desk, part="morning"))
    await book(await make_person("Cees"), desk_booking(world.desk2, part="afternoon"))
    await book(await make_person("Dirk"), desk_booking(world.quiet, part="day"))
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "day"},
    )

    link = f"/book/desk?site={world.site.id}&amp;date={TOMORROW.isoformat()}&amp;day_part="
    assert "Geen werkplek is de hele dag vrij, wel een dagdeel:" in response.text
    assert f'<a href="{link}morning">Ochtend: 1 vrij</a>' in response.text
    assert f'<a href="{link}afternoon">Middag: 1 vrij</a>' in response.text


async def test_with_a_desk_free_all_day_the_page_points_to_no_half(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    await book(await make_person("Bram"), desk_booking(world.desk, part="morning"))
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "day"},
    )

    assert "wel een dagdeel" not in response.text


async def test_holding_a_desk_for_the_day_part_offers_no_other(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.get(
        "/book/desk", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert "U hebt voor dit dagdeel al een werkplek: Flexplek 1.01." in response.text
    assert 'name="space_id"' not in response.text


async def test_holding_a_desk_in_the_morning_offers_none_for_the_whole_day(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "day"},
    )

    assert 'name="space_id"' not in response.text


async def test_a_team_lead_holding_a_desk_may_still_book_one_for_a_colleague(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: Callable[[str], Awaitable[Team]],
    book: Book,
) -> None:
    team = await make_team("Wijkteam")
    lotte = await make_person("Lotte", lead_of=(team,))
    member = await make_person("Bram", teams=(team,))
    await book(lotte, desk_booking(world.desk))
    await login_as(lotte)

    response = await client.get(
        "/book/desk", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert "Flexplek 1.02 reserveren" in response.text
    assert '<select id="booked_for_id" name="booked_for_id" required' in response.text
    assert '<option value="" disabled selected>Kies een collega</option>' in response.text
    assert f'<option value="{member.id}"' in response.text


async def test_a_second_desk_is_refused_naming_when_the_first_is_held(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk",
        data=desk_form(world, headers["X-CSRF-Token"], space_id=str(world.desk2.id)),
        headers=HTMX,
    )

    assert response.status_code == 422
    assert "U hebt op 26-11-2026 van 07:30 tot 13:00 al een werkplek gereserveerd." in response.text


async def test_a_day_without_a_free_desk_offers_no_weekly_booking(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    for desk in (world.desk, world.desk2, world.quiet):
        await book(await make_person(f"Collega {desk.name}"), desk_booking(desk, TOMORROW))
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "morning"},
    )

    assert "Wekelijks herhalen" not in response.text


async def test_a_day_with_a_free_desk_offers_a_weekly_booking(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/desk",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "day_part": "morning"},
    )

    assert "Wekelijks herhalen" in response.text


async def test_repeating_without_a_weekday_marks_the_weekdays(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk", data=desk_form(world, headers["X-CSRF-Token"], repeat_until="2026-12-03")
    )

    assert response.status_code == 422
    assert (
        '<input type="checkbox" id="repeat-0" name="repeat_weekdays" value="0"  '
        'aria-invalid="true" aria-describedby="repeat_weekdays-error">'
    ) in response.text
    assert (
        '<p class="field-error" id="repeat_weekdays-error">'
        "Kies op welke weekdagen de reservering zich herhaalt.</p>"
    ) in response.text
    assert await count_bookings(db) == 0


async def test_repeating_without_an_end_date_marks_the_end_date(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)
    form: dict[str, object] = {
        **desk_form(world, headers["X-CSRF-Token"]),
        "repeat_weekdays": ["3"],
    }

    response = await client.post("/book/desk", data=form)

    assert 'aria-invalid="true" aria-describedby="repeat_until-error"' in response.text
    assert "Kies de laatste datum van de herhaling." in response.text


async def test_the_error_summary_links_to_the_marked_repeat_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk",
        data=desk_form(world, headers["X-CSRF-Token"], repeat_until="2026-12-03"),
        headers=HTMX,
    )

    assert (
        '<a href="#repeat-0">Op deze weekdagen: '
        "Kies op welke weekdagen de reservering zich herhaalt.</a>"
    ) in response.text


async def test_booking_a_taken_desk_shows_why_with_409(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_person: MakePerson,
    db: AsyncSession,
    book: Book,
) -> None:
    bram = await make_person("Bram")
    await book(bram, desk_booking(world.desk))
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/desk", data=desk_form(world, headers["X-CSRF-Token"]), headers=HTMX
    )

    assert response.status_code == 409
    assert 'role="alert"' in response.text
    assert "Deze ruimte is al gereserveerd op 26-11-2026 van 07:30 tot 13:00." in response.text
    assert await count_bookings(db) == 1


async def test_a_team_lead_picks_a_team_member_on_the_desk_page(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_person: MakePerson,
    make_team: object,
    db: AsyncSession,
) -> None:
    team = await make_team("Wijkteam")  # type: ignore[operator]
    member = await make_person("Bram", teams=(team,))
    headers = await login_as(await make_person("Lotte", lead_of=(team,)))

    page = await client.get(
        "/book/desk", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )
    await client.post(
        "/book/desk",
        data=desk_form(world, headers["X-CSRF-Token"], booked_for_id=str(member.id)),
    )

    assert f'<option value="{member.id}"' in page.text
    (booking,) = await all_bookings(db)
    assert booking.booked_for_id == member.id


async def test_a_weekly_desk_booking_from_the_form_shows_on_my_bookings(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    headers = await login_as(world.anna)
    form: dict[str, object] = {
        **desk_form(world, headers["X-CSRF-Token"], repeat_until="2026-12-03"),
        "repeat_weekdays": ["3"],
    }

    response = await client.post("/book/desk", data=form, follow_redirects=False)

    assert response.headers["location"].startswith("/bookings?series=")
    assert len(await all_bookings(db)) == 2


# --- book a room --------------------------------------------------------------------------


async def test_the_room_grid_shows_free_and_taken_half_hours(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(bram, room_booking(world.room, start=(10, 0), end=(11, 0)))
    await login_as(world.anna)

    response = await client.get(
        "/book/room", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert response.status_code == 200
    assert 'class="slot slot-taken"' in response.text
    assert f"space_id={world.room.id}&amp;start=09:30" in response.text
    assert f"space_id={world.room.id}&amp;start=10:00" not in response.text


async def test_the_room_grid_shows_a_meeting_as_one_cell_across_its_half_hours(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(bram, room_booking(world.room, start=(10, 0), end=(11, 30)))
    await login_as(world.anna)

    response = await client.get(
        "/book/room", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert response.text.count('class="slot slot-taken" colspan="3"') == 1


async def test_the_room_grid_shows_the_subject_of_ones_own_meeting(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, room_booking(world.room, title="Werkoverleg paspoorten"))
    await login_as(world.anna)

    response = await client.get(
        "/book/room", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert 'class="slot-title" title="Werkoverleg paspoorten"' in response.text


async def test_the_room_grid_keeps_the_subject_of_a_colleagues_meeting_from_an_employee(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson, book: Book
) -> None:
    bram = await make_person("Bram")
    await book(bram, room_booking(world.room, title="Sollicitatiegesprek"))
    await login_as(world.anna)

    response = await client.get(
        "/book/room", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert "Sollicitatiegesprek" not in response.text


async def test_the_room_grid_shows_a_closed_room_as_one_cell_with_the_reason(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    await add_closure(db, world.site, TOMORROW, TOMORROW, space=world.room, reason="Schilderwerk")
    await login_as(world.anna)

    response = await client.get(
        "/book/room",
        params={"site": world.site.id, "date": TOMORROW.isoformat()},
    )

    cell = response.text[response.text.index('class="slot slot-closed"') :]
    assert 'class="slot-title" title="Schilderwerk"' in cell[: cell.index("</td>")]


async def test_the_room_grid_filters_on_safety_features(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/room",
        params={"site": world.site.id, "date": TOMORROW.isoformat(), "safety": "alarm_button"},
    )

    assert "Spreekkamer A" in response.text
    assert "Overleg 1.10" not in response.text


async def test_choosing_a_free_slot_fills_in_the_form(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/room",
        params={
            "site": world.site.id,
            "date": TOMORROW.isoformat(),
            "space_id": world.room.id,
            "start": "14:00",
        },
    )

    assert 'id="start" name="start" type="time" step="900" required value="14:00"' in response.text
    assert 'value="15:00"' in response.text


async def test_booking_a_room_with_the_form_stores_it(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/room",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "site": str(world.site.id),
            "date": TOMORROW.isoformat(),
            "space_id": str(world.room.id),
            "start": "14:00",
            "end": "15:30",
            "title": "Teamoverleg",
            "attendees": "5",
        },
        follow_redirects=False,
    )

    assert response.status_code in {302, 303}
    (booking,) = await all_bookings(db)
    assert (booking.start_at, booking.end_at, booking.title, booking.attendees) == (
        at(TOMORROW, 14),
        at(TOMORROW, 15, 30),
        "Teamoverleg",
        5,
    )


async def test_after_booking_a_room_the_page_names_it_with_its_time(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/room", data=room_form(world, headers["X-CSRF-Token"], start="14:00", end="15:30")
    )

    assert f"Gereserveerd: {world.room.name}, 14:00–15:30." in response.text


async def test_a_room_form_outside_opening_hours_marks_the_field(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/room",
        data={
            "_csrf": headers["X-CSRF-Token"],
            "site": str(world.site.id),
            "date": TOMORROW.isoformat(),
            "space_id": str(world.room.id),
            "start": "17:00",
            "end": "19:00",
            "attendees": "2",
        },
    )

    assert response.status_code == 422
    assert 'id="end-error"' in response.text
    assert "De locatie is op deze dag open van 07:30 tot 18:00." in response.text
    assert await count_bookings(db) == 0


async def test_a_room_form_without_times_reports_both(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/room", data=room_form(world, headers["X-CSRF-Token"], start="", end="")
    )

    assert response.status_code == 422
    assert 'id="start-error">Kies een begintijd.' in response.text
    assert 'id="end-error">Kies een eindtijd.' in response.text
    assert await count_bookings(db) == 0


async def test_the_room_error_summary_names_and_links_each_marked_field(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/room", data=room_form(world, headers["X-CSRF-Token"], start="", end="")
    )

    assert '<li><a href="#start">Van: Kies een begintijd.</a></li>' in response.text
    assert '<li><a href="#end">Tot: Kies een eindtijd.</a></li>' in response.text


async def test_a_refused_room_booking_links_the_field_it_concerns(
    client: Client, world: World, login_as: LoginAs
) -> None:
    headers = await login_as(world.anna)

    response = await client.post(
        "/book/room", data=room_form(world, headers["X-CSRF-Token"], end="19:00")
    )

    assert (
        '<li><a href="#end">Tot: De locatie is op deze dag open van 07:30 tot 18:00.</a></li>'
        in response.text
    )


async def test_rooms_beyond_the_booking_horizon_are_not_offered(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/room", params={"site": world.site.id, "date": BEYOND.isoformat()}
    )

    assert "Op deze locatie kunt u hoogstens 14 dagen vooruit reserveren." in response.text
    assert "slot-free" not in response.text
    assert 'id="book-form"' not in response.text


async def test_rooms_of_a_past_day_are_not_offered_and_the_page_says_why(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(
        "/book/room",
        params={"site": world.site.id, "date": (TODAY - timedelta(days=1)).isoformat()},
    )

    assert "Deze dag is voorbij: kies vandaag of een latere dag." in response.text
    assert 'id="book-form"' not in response.text


async def test_past_half_hours_in_the_room_grid_are_named_in_text(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)  # the clock stands at 10:00 today

    response = await client.get(
        "/book/room", params={"site": world.site.id, "date": TODAY.isoformat()}
    )

    assert '<span aria-hidden="true">·</span><span class="visually-hidden">Voorbij</span>' in (
        response.text
    )
    assert "aria-label=" not in response.text[response.text.index('class="room-grid"') :]


async def test_rooms_for_other_teams_are_named_in_text_in_the_grid(
    client: Client,
    world: World,
    login_as: LoginAs,
    make_space: MakeSpace,
    make_team: Callable[[str], Awaitable[Team]],
) -> None:
    await make_space(
        world.site, "Teamkamer", kind="meeting_room", capacity=4, teams=[await make_team("KCC")]
    )
    await login_as(world.anna)

    response = await client.get(
        "/book/room", params={"site": world.site.id, "date": TOMORROW.isoformat()}
    )

    assert (
        '<span aria-hidden="true">–</span><span class="visually-hidden">Voor andere teams</span>'
        in response.text
    )


# --- my bookings, check-in ----------------------------------------------------------------


async def test_my_bookings_lists_upcoming_bookings_with_cancel(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert "Flexplek 1.01" in response.text
    assert f'action="/bookings/{made.created[0].id}/cancel"' in response.text
    assert "donderdag 26-11-2026, ochtend (07:30–13:00)" in response.text


async def test_cancelling_asks_for_confirmation_naming_the_booking(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert (
        'hx-confirm="Reservering van Flexplek 1.01 op donderdag 26-11-2026, '
        'ochtend (07:30–13:00) annuleren?"'
    ) in response.text


async def test_cancelling_later_dates_asks_for_its_own_confirmation(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    weekly = desk_booking(
        world.desk, recurrence=RecurrenceIn(weekdays=[3], until=date(2026, 12, 3))
    )
    await book(world.anna, weekly)
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert (
        'hx-confirm="Flexplek 1.01 op donderdag 26-11-2026, ochtend (07:30–13:00) '
        'en alle latere datums van deze herhalende reservering annuleren?"'
    ) in response.text
    assert (
        'Deze en latere datums annuleren<span class="visually-hidden"> Flexplek 1.01 '
        "donderdag 26-11-2026, ochtend (07:30–13:00)</span>"
    ) in response.text


async def test_the_check_in_button_names_the_booking_for_screen_readers(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, book: Book
) -> None:
    clock.set(at(TODAY, 7, 45))
    await book(world.anna, desk_booking(world.desk, TODAY))
    await login_as(world.anna)

    response = await client.get("/bookings")

    assert (
        'Inchecken<span class="visually-hidden"> Flexplek 1.01 '
        "woensdag 25-11-2026, ochtend (07:30–13:00)</span>"
    ) in response.text


async def test_cancelling_with_a_plain_form_asks_on_a_page_first_and_keeps_the_booking(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{made.created[0].id}/cancel", data={"_csrf": headers["X-CSRF-Token"]}
    )

    assert (
        "Reservering van Flexplek 1.01 op donderdag 26-11-2026, ochtend (07:30–13:00) annuleren?"
    ) in response.text
    assert 'name="confirmed" value="1"' in response.text
    (booking,) = await all_bookings(db)
    assert booking.status == "confirmed"


async def test_the_plain_confirmation_of_later_dates_keeps_asking_for_the_series(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    weekly = desk_booking(
        world.desk, recurrence=RecurrenceIn(weekdays=[3], until=date(2026, 12, 3))
    )
    made = await book(world.anna, weekly)
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{made.created[0].id}/cancel",
        data={"_csrf": headers["X-CSRF-Token"], "series": "1"},
    )

    assert "en alle latere datums van deze herhalende reservering annuleren?" in response.text
    assert 'name="series" value="1"' in response.text


async def test_a_confirmed_plain_cancel_redirects_to_my_bookings(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{made.created[0].id}/cancel",
        data={"_csrf": headers["X-CSRF-Token"], "confirmed": "1"},
        follow_redirects=False,
    )

    assert response.headers["location"] == "/bookings?done=cancelled"
    (booking,) = await all_bookings(db)
    assert booking.status == "cancelled"


async def test_my_bookings_says_what_a_plain_form_changed(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/bookings?done=cancelled")

    assert "Geannuleerd." in response.text


async def test_cancelling_with_htmx_answers_the_row(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.post(f"/bookings/{made.created[0].id}/cancel", headers=HTMX)

    assert response.text.lstrip().startswith(f'<tr id="booking-{made.created[0].id}"')
    assert "Geannuleerd." in response.text


async def test_cancelling_later_dates_with_htmx_answers_their_rows_out_of_band(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    weekly = desk_booking(
        world.desk, recurrence=RecurrenceIn(weekdays=[3], until=date(2026, 12, 3))
    )
    first, later = (await book(world.anna, weekly)).created
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{first.id}/cancel",
        data={"_csrf": headers["X-CSRF-Token"], "series": "1"},
        headers=HTMX,
    )

    assert f'<tr id="booking-{later.id}" hx-swap-oob="true">' in response.text


async def test_cancelling_later_dates_with_htmx_takes_their_cancel_buttons_away(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    weekly = desk_booking(
        world.desk, recurrence=RecurrenceIn(weekdays=[3], until=date(2026, 12, 3))
    )
    first, later = (await book(world.anna, weekly)).created
    headers = await login_as(world.anna)

    response = await client.post(
        f"/bookings/{first.id}/cancel",
        data={"_csrf": headers["X-CSRF-Token"], "series": "1"},
        headers=HTMX,
    )

    assert f'action="/bookings/{later.id}/cancel"' not in response.text


async def test_checking_in_with_htmx_answers_the_row(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, book: Book
) -> None:
    clock.set(at(TODAY, 7, 45))
    made = await book(world.anna, desk_booking(world.desk, TODAY))
    await login_as(world.anna)

    response = await client.post(f"/bookings/{made.created[0].id}/check-in", headers=HTMX)

    assert response.status_code == 200
    assert "U bent ingecheckt." in response.text


async def test_a_failed_check_in_with_htmx_shows_the_reason_in_the_row(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    made = await book(world.anna, desk_booking(world.desk))
    await login_as(world.anna)

    response = await client.post(f"/bookings/{made.created[0].id}/check-in", headers=HTMX)

    assert response.status_code == 422
    assert "U kunt inchecken vanaf 07:00." in response.text


async def test_the_home_page_shows_todays_bookings_with_check_in(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TODAY))
    await login_as(world.anna)

    response = await client.get("/")

    assert "Reserveringen vandaag" in response.text
    assert "Inchecken" in response.text


async def test_once_today_has_no_bookings_left_the_home_page_shows_the_next_days(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TODAY))
    await book(world.anna, desk_booking(world.desk2, TOMORROW))
    clock.set(at(TODAY, 19))
    await login_as(world.anna)

    response = await client.get("/")

    assert "Uw volgende reserveringen: donderdag 26-11-2026" in response.text


async def test_the_next_bookings_on_the_home_page_are_those_of_one_day(
    db: AsyncSession, world: World, clock: FixedClock, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TOMORROW))
    await book(world.anna, desk_booking(world.desk, NEXT_MONDAY))
    clock.set(at(TODAY, 19))

    upcoming = await services.next_days_bookings(db, clock, actor(world.anna))

    assert [b.start_at.astimezone(AMSTERDAM).date() for b in upcoming] == [TOMORROW]


async def test_the_menu_offers_booking(client: Client, world: World, login_as: LoginAs) -> None:
    await login_as(world.anna)

    response = await client.get("/")

    for href in ('href="/book/desk"', 'href="/book/room"', 'href="/bookings"'):
        assert href in response.text
    assert 'href="/bookings/approvals"' not in response.text


async def test_the_qr_landing_page_offers_check_in_on_the_current_booking(
    client: Client, world: World, login_as: LoginAs, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TODAY))
    await login_as(world.anna)

    response = await client.get(f"/check-in/{world.desk.id}")

    assert response.status_code == 200
    assert f'action="/check-in/{world.desk.id}"' in response.text
    assert "Inchecken bij Flexplek 1.01" in response.text


async def test_checking_in_from_the_qr_page(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession, book: Book
) -> None:
    await book(world.anna, desk_booking(world.desk, TODAY))
    headers = await login_as(world.anna)

    response = await client.post(
        f"/check-in/{world.desk.id}", data={"_csrf": headers["X-CSRF-Token"]}
    )

    assert "U bent ingecheckt." in response.text
    (booking,) = await all_bookings(db)
    assert booking.status == "checked_in"


async def test_a_free_desk_can_be_booked_and_checked_in_from_its_qr_page(
    client: Client, world: World, login_as: LoginAs, db: AsyncSession
) -> None:
    headers = await login_as(world.anna)

    await client.post(
        f"/check-in/{world.desk.id}", data={"_csrf": headers["X-CSRF-Token"], "day_part": "day"}
    )

    (booking,) = await all_bookings(db)
    assert (booking.status, booking.day_part) == ("checked_in", "day")


async def test_the_qr_page_of_a_desk_says_one_has_no_booking_for_this_desk(
    client: Client, world: World, employee: dict[str, str]
) -> None:
    response = await client.get(f"/check-in/{world.quiet.id}")

    assert "U hebt op dit moment geen reservering voor deze werkplek." in response.text


async def test_the_qr_page_of_a_room_says_one_has_no_booking_for_this_room(
    client: Client, world: World, employee: dict[str, str]
) -> None:
    response = await client.get(f"/check-in/{world.resident_room.id}")

    assert "U hebt op dit moment geen reservering voor deze ruimte." in response.text


async def test_checking_in_at_a_desk_without_a_booking_names_the_desk(
    client: Client, world: World, login_as: LoginAs, clock: FixedClock
) -> None:
    clock.set(at(TODAY, 19))  # the site is closed: no walk-in either
    headers = await login_as(world.anna)

    response = await client.post(
        f"/check-in/{world.desk.id}", data={"_csrf": headers["X-CSRF-Token"]}
    )

    assert response.status_code == 404
    assert "<p>U hebt op dit moment geen reservering voor deze werkplek.</p></div>" in response.text


async def test_the_qr_page_asks_to_log_in_first(client: Client, world: World) -> None:
    response = await client.get(f"/check-in/{world.desk.id}", follow_redirects=False)

    assert response.status_code in {302, 303}
    assert response.headers["location"] == f"/login?next=/check-in/{world.desk.id}"


async def test_the_qr_code_is_an_svg_of_the_check_in_address(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get(f"/check-in/{world.desk.id}/qr.svg")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("image/svg+xml")
    assert response.text.startswith("<svg")
    assert "style=" not in response.text  # the content security policy forbids inline styles


async def test_there_is_no_qr_code_of_an_unknown_space(
    client: Client, world: World, login_as: LoginAs
) -> None:
    await login_as(world.anna)

    response = await client.get("/check-in/999999/qr.svg")

    assert response.status_code == 404


async def test_facilities_print_a_sheet_of_qr_codes(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get("/bookings/qr-codes", params={"site": world.site.id})

    assert f'src="/check-in/{world.desk.id}/qr.svg"' in response.text
    assert f'src="/check-in/{world.room.id}/qr.svg"' in response.text


async def test_a_sheet_of_qr_codes_can_be_printed_for_one_floor(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get(
        "/bookings/qr-codes", params={"site": world.site.id, "floor": world.floor.id}
    )

    assert f'src="/check-in/{world.desk.id}/qr.svg"' in response.text
    assert f'src="/check-in/{world.resident_room.id}/qr.svg"' not in response.text  # no floor


async def test_a_qr_code_names_the_floor_of_its_space(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get("/bookings/qr-codes", params={"site": world.site.id})

    assert "Flexplek · Stadskantoor · Eerste verdieping</p>" in response.text


async def test_pages_render_in_english(
    client: Client, world: World, login_as: LoginAs, make_person: MakePerson
) -> None:
    await login_as(await make_person("Emma", language="en"))

    desk = await client.get("/book/desk")
    room = await client.get("/book/room")

    assert "Book a desk" in desk.text
    assert "Book a room" in room.text


# --- the Search button of "book for" (without the script) ---------------------------------


def _book_for_names(page: str) -> list[str]:
    found = re.search(r'<select id="booked_for_id".*?</select>', page, re.DOTALL)
    assert found is not None
    return re.findall(r'<option value="\d+"[^>]*>([^<]*)</option>', found.group())


async def test_the_room_forms_search_button_narrows_book_for_to_matching_names(
    client: Client, world: World, karim: Person, login_as: LoginAs
) -> None:
    headers = await login_as(karim)

    response = await client.post(
        "/book/room",
        data=room_form(world, headers["X-CSRF-Token"], find="vries", find_people="1"),
    )

    assert (response.status_code, _book_for_names(response.text)) == (200, ["Anna de Vries"])


async def test_the_room_forms_search_button_books_nothing(
    client: Client, db: AsyncSession, world: World, karim: Person, login_as: LoginAs
) -> None:
    headers = await login_as(karim)

    await client.post(
        "/book/room",
        data=room_form(world, headers["X-CSRF-Token"], find="vries", find_people="1"),
    )

    assert await count_bookings(db) == 0


async def test_the_desk_forms_search_button_narrows_book_for_to_matching_names(
    client: Client, world: World, karim: Person, login_as: LoginAs
) -> None:
    headers = await login_as(karim)

    response = await client.post(
        "/book/desk",
        data=desk_form(world, headers["X-CSRF-Token"], find="vries", find_people="1"),
    )

    assert (response.status_code, _book_for_names(response.text)) == (200, ["Anna de Vries"])


async def test_the_desk_forms_search_button_books_nothing(
    client: Client, db: AsyncSession, world: World, karim: Person, login_as: LoginAs
) -> None:
    headers = await login_as(karim)

    await client.post(
        "/book/desk",
        data=desk_form(world, headers["X-CSRF-Token"], find="vries", find_people="1"),
    )

    assert await count_bookings(db) == 0


async def test_enter_in_the_room_form_with_its_search_unchanged_books_for_the_colleague(
    client: Client, db: AsyncSession, world: World, karim: Person, login_as: LoginAs
) -> None:
    headers = await login_as(karim)
    enter = {"booked_for_id": str(world.anna.id), "find": "Vries", "found": "Vries"}

    await client.post("/book/room", data=room_form(world, headers["X-CSRF-Token"], **enter))

    assert await count_bookings(db, booked_for_id=world.anna.id) == 1


async def test_enter_in_the_room_form_with_its_search_changed_books_nothing(
    client: Client, db: AsyncSession, world: World, karim: Person, login_as: LoginAs
) -> None:
    headers = await login_as(karim)
    enter = {"booked_for_id": str(world.anna.id), "find": "Vries", "found": ""}

    response = await client.post(
        "/book/room", data=room_form(world, headers["X-CSRF-Token"], **enter)
    )

    assert (response.status_code, _book_for_names(response.text)) == (200, ["Anna de Vries"])
    assert await count_bookings(db) == 0


async def test_the_room_forms_search_comes_back_as_it_was_typed(
    client: Client, world: World, karim: Person, login_as: LoginAs
) -> None:
    headers = await login_as(karim)

    response = await client.post(
        "/book/room",
        data=room_form(world, headers["X-CSRF-Token"], find="De  VRIES", find_people="1"),
    )

    assert re.search(r'id="booked_for_id-search"[^>]*value="De VRIES"', response.text)


async def test_the_desk_forms_first_button_is_its_search_button(
    client: Client, world: World, karim: Person, login_as: LoginAs
) -> None:
    """Each desk has its own button, none books unnamed: Enter searches, as it did."""
    await login_as(karim)

    page = (
        await client.get("/book/desk", params={"site": world.site.id, "date": TOMORROW.isoformat()})
    ).text

    form = re.search(r'<form method="post" action="/book/desk".*?</form>', page, re.DOTALL)
    assert form is not None
    first = re.search(r"<button[^>]*>", form.group())
    assert first is not None and 'name="find_people"' in first.group()
