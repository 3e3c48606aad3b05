"""The rules of sites without HTTP: opening days, day parts, holidays, who may book."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import MakeTeam, count_queries
from werkplek.errors import InvalidInput
from werkplek.i18n import set_language
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.rooms.models import Closure, OpeningHours, Site, Space, SpaceTeam
from werkplek.rooms.services import (
    DayPart,
    day_part_window,
    is_bookable_by,
    main_site,
    public_holiday,
    restricted_team_names,
    site_day,
    space_closed_on,
)

WEDNESDAY = date(2026, 11, 25)
SUMMER_WEDNESDAY = date(2026, 7, 1)


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    set_language("nl")
    yield
    set_language("nl")  # leave no other language behind for later tests


def _site(**fields: object) -> Site:
    site = Site(
        id=1,
        name="Stadskantoor",
        kind="central_office",
        timezone="Europe/Amsterdam",
        day_split=time(13),
        observe_public_holidays=True,
        **fields,
    )
    site.opening_hours = [
        OpeningHours(weekday=day, opens=time(7, 30), closes=time(18)) for day in range(5)
    ]
    return site


def _user(*roles: Role, team_ids: frozenset[int] = frozenset()) -> CurrentUser:
    return CurrentUser(
        id=1,
        name="Anna",
        email="anna@gemeente.nl",
        language="nl",
        roles=frozenset({Role.EMPLOYEE, *roles}),
        team_ids=team_ids,
    )


def test_a_weekday_with_opening_hours_is_open_with_those_hours() -> None:
    day = site_day(_site(), WEDNESDAY, [])

    assert (day.is_open, day.opens, day.closes, day.reason) == (True, time(7, 30), time(18), None)


def test_a_weekday_without_opening_hours_is_closed() -> None:
    day = site_day(_site(), date(2026, 11, 28), [])

    assert (day.is_open, day.reason) == (False, "Gesloten op deze dag van de week")


def test_kings_day_is_closed_with_its_name() -> None:
    day = site_day(_site(), date(2026, 4, 27), [])

    assert (day.is_open, day.reason) == (False, "Koningsdag")


def test_a_site_closure_beats_the_opening_hours_and_gives_its_reason() -> None:
    closure = Closure(site_id=1, starts_on=WEDNESDAY, ends_on=WEDNESDAY, reason="Stroomstoring")

    day = site_day(_site(), WEDNESDAY, [closure])

    assert (day.is_open, day.reason) == (False, "Stroomstoring")


def test_a_closure_without_a_reason_says_closed() -> None:
    closure = Closure(site_id=1, starts_on=WEDNESDAY, ends_on=WEDNESDAY, reason="")

    assert site_day(_site(), WEDNESDAY, [closure]).reason == "Gesloten"


def test_a_closure_of_one_space_leaves_the_site_open() -> None:
    closure = Closure(site_id=1, space_id=7, starts_on=WEDNESDAY, ends_on=WEDNESDAY)

    assert site_day(_site(), WEDNESDAY, [closure]).is_open


def test_a_closure_of_one_space_closes_that_space_only() -> None:
    closure = Closure(site_id=1, space_id=7, starts_on=WEDNESDAY, ends_on=WEDNESDAY)

    assert space_closed_on([closure], 7, WEDNESDAY) is closure
    assert space_closed_on([closure], 8, WEDNESDAY) is None


def test_holiday_names_follow_the_language() -> None:
    set_language("en")

    assert public_holiday(date(2026, 12, 25)) == "Christmas Day"


def test_the_morning_runs_from_opening_to_the_day_split_in_utc() -> None:
    site = _site()

    start, end = day_part_window(site, site_day(site, WEDNESDAY, []), DayPart.MORNING)

    assert (start, end) == (
        datetime(2026, 11, 25, 6, 30, tzinfo=UTC),
        datetime(2026, 11, 25, 12, 0, tzinfo=UTC),
    )


def test_the_afternoon_runs_from_the_day_split_to_closing_in_summer_time() -> None:
    site = _site()

    start, end = day_part_window(site, site_day(site, SUMMER_WEDNESDAY, []), DayPart.AFTERNOON)

    assert (start, end) == (
        datetime(2026, 7, 1, 11, 0, tzinfo=UTC),
        datetime(2026, 7, 1, 16, 0, tzinfo=UTC),
    )


def test_the_whole_day_runs_from_opening_to_closing() -> None:
    site = _site()

    start, end = day_part_window(site, site_day(site, WEDNESDAY, []), DayPart.DAY)

    assert (start.hour, end.hour) == (6, 17)


def test_a_day_part_on_a_closed_day_is_invalid_input_on_date() -> None:
    site = _site()

    with pytest.raises(InvalidInput) as raised:
        day_part_window(site, site_day(site, date(2026, 11, 29), []), DayPart.MORNING)

    assert raised.value.field == "date"


def test_an_unrestricted_space_is_bookable_by_everyone() -> None:
    space = Space(id=1, site_id=1, name="Flexplek", kind="desk")
    space.restricted_to = []

    assert is_bookable_by(space, _user())


def test_a_restricted_space_is_bookable_by_its_teams_only() -> None:
    space = Space(id=1, site_id=1, name="Teamplek", kind="desk")
    space.restricted_to = [SpaceTeam(space_id=1, team_id=3)]

    assert is_bookable_by(space, _user(team_ids=frozenset({3})))
    assert not is_bookable_by(space, _user(team_ids=frozenset({4})))


def test_facilities_may_book_a_restricted_space() -> None:
    space = Space(id=1, site_id=1, name="Teamplek", kind="desk")
    space.restricted_to = [SpaceTeam(space_id=1, team_id=3)]

    assert is_bookable_by(space, _user(Role.FACILITIES))


def test_pages_start_on_the_central_office_rather_than_the_first_site_by_name() -> None:
    hall = Site(id=1, name="Dorpshuis De Kolk", kind="community_venue")
    office = Site(id=2, name="Gemeentehuis", kind="central_office")
    assert main_site([hall, office]) is office


def test_without_a_central_office_pages_start_on_the_first_site_by_name() -> None:
    hall = Site(id=1, name="Dorpshuis De Kolk", kind="community_venue")
    base = Site(id=2, name="Werf", kind="field_base")
    assert main_site([base, hall]) is hall


def test_without_sites_there_is_no_site_to_start_on() -> None:
    assert main_site([]) is None


async def test_the_teams_spaces_are_restricted_to_are_named_in_one_query_without_their_members(
    db: AsyncSession, make_team: MakeTeam
) -> None:
    team_ids = [(await make_team(name)).id for name in ("Vergunningen", "Buitendienst")]
    spaces = [
        Space(
            id=n,
            site_id=1,
            name=f"Teamplek {n}",
            kind="desk",
            restricted_to=[SpaceTeam(space_id=n, team_id=team_id)],
        )
        for n, team_id in enumerate(team_ids, start=1)
    ]

    with count_queries(db) as statements:
        await restricted_team_names(db, spaces)

    assert len(statements) == 1 and "team_memberships" not in statements[0]
