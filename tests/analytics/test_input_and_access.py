"""Bad input gets a clear 4xx naming the field; only facilities and admins get reports."""

from __future__ import annotations

from typing import Any

import pytest

from tests.analytics.conftest import Client
from tests.conftest import LoginAs, MakeFloor, MakePerson, MakeSite
from werkplek.config import Settings
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Site

ROUTES = ["/api/analytics/occupancy", "/api/analytics/space-plan", "/api/analytics/work-mix"]
PAGES = ["/analytics", "/analytics/space-plan", "/analytics/work-mix"]


@pytest.fixture
async def site(make_site: MakeSite) -> Site:
    return await make_site()


async def _error(client: Client, path: str, **params: Any) -> tuple[int, str, str | None]:
    response = await client.get(path, params=params)
    body = response.json()
    return response.status_code, body["error"], body.get("field")


@pytest.mark.parametrize("path", ROUTES)
async def test_a_start_after_the_end_is_refused_naming_from(
    client: Client, site: Site, facilities: Person, path: str
) -> None:
    assert await _error(
        client, path, site=site.id, **{"from": "2026-11-20", "to": "2026-11-16"}
    ) == (
        422,
        "invalid_period",
        "from",
    )


@pytest.mark.parametrize("path", ROUTES)
async def test_a_period_longer_than_the_maximum_is_refused_naming_to(
    client: Client, site: Site, facilities: Person, path: str
) -> None:
    # 2025-10-22 to 2026-11-25 is 400 days; one more is too many.
    assert await _error(
        client, path, site=site.id, **{"from": "2025-10-21", "to": "2026-11-25"}
    ) == (
        422,
        "period_too_long",
        "to",
    )


async def test_a_period_of_exactly_the_maximum_is_accepted(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get(
        "/api/analytics/occupancy",
        params={"site": site.id, "from": "2025-10-22", "to": "2026-11-25"},
    )

    assert (response.status_code, response.json()["period"]["days"]) == (200, 400)


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize(
    "period", [{"from": "9999-12-28", "to": "9999-12-31"}, {"from": "0001-01-01"}]
)
async def test_a_start_outside_the_years_reports_cover_is_refused_naming_from(
    client: Client, site: Site, facilities: Person, path: str, period: dict[str, str]
) -> None:
    assert await _error(client, path, site=site.id, **period) == (
        422,
        "date_out_of_range",
        "from",
    )


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize(
    "period", [{"from": "2026-11-16", "to": "9999-12-31"}, {"to": "0001-01-07"}]
)
async def test_an_end_outside_the_years_reports_cover_is_refused_naming_to(
    client: Client, site: Site, facilities: Person, path: str, period: dict[str, str]
) -> None:
    assert await _error(client, path, site=site.id, **period) == (
        422,
        "date_out_of_range",
        "to",
    )


async def test_a_period_given_by_a_start_near_the_last_covered_day_ends_on_it(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get(
        "/api/analytics/occupancy", params={"site": site.id, "from": "2099-12-20"}
    )

    assert (response.status_code, response.json()["period"]["to"]) == (200, "2099-12-31")


async def test_a_period_given_by_an_end_near_the_first_covered_day_starts_on_it(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get(
        "/api/analytics/occupancy", params={"site": site.id, "to": "2000-01-10"}
    )

    assert (response.status_code, response.json()["period"]["from"]) == (200, "2000-01-01")


async def test_an_unknown_site_is_not_found_naming_site(
    client: Client, site: Site, facilities: Person
) -> None:
    assert await _error(client, "/api/analytics/occupancy", site=site.id + 99) == (
        404,
        "not_found",
        "site",
    )


async def test_a_missing_site_is_refused_naming_site(client: Client, facilities: Person) -> None:
    response = await client.get("/api/analytics/space-plan")

    assert response.status_code == 400
    assert [field["field"] for field in response.json()["fields"]] == ["site"]


async def test_a_floor_of_another_site_is_refused_naming_floor(
    client: Client, site: Site, make_site: MakeSite, make_floor: MakeFloor, facilities: Person
) -> None:
    elsewhere = await make_floor(await make_site("Buitendienst"))

    assert await _error(client, "/api/analytics/occupancy", site=site.id, floor=elsewhere.id) == (
        422,
        "invalid_input",
        "floor",
    )


async def test_an_unknown_team_is_not_found_naming_team(client: Client, facilities: Person) -> None:
    assert await _error(client, "/api/analytics/work-mix", team=999) == (404, "not_found", "team")


async def test_a_malformed_date_is_refused_naming_from(
    client: Client, site: Site, facilities: Person
) -> None:
    assert await _error(
        client, "/api/analytics/occupancy", site=site.id, **{"from": "16-11-2026"}
    ) == (
        422,
        "invalid_date",
        "from",
    )


async def test_an_unknown_format_is_refused_naming_format(
    client: Client, site: Site, facilities: Person
) -> None:
    assert await _error(client, "/api/analytics/occupancy", site=site.id, format="xlsx") == (
        422,
        "invalid_input",
        "format",
    )


async def test_an_unknown_table_is_refused_naming_table(
    client: Client, site: Site, facilities: Person
) -> None:
    assert await _error(
        client, "/api/analytics/occupancy", site=site.id, format="csv", table="names"
    ) == (422, "invalid_input", "table")


async def test_the_page_shows_a_bad_period_next_to_the_field(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get(
        "/analytics", params={"site": site.id, "from": "2026-11-20", "to": "2026-11-16"}
    )

    assert response.status_code == 422
    assert 'id="from-error"' in response.text and 'aria-invalid="true"' in response.text


@pytest.mark.parametrize("path", PAGES)
async def test_the_page_shows_a_date_outside_the_years_reports_cover_next_to_the_field(
    client: Client, site: Site, facilities: Person, path: str
) -> None:
    response = await client.get(
        path, params={"site": site.id, "from": "9999-12-28", "to": "9999-12-31"}
    )

    assert response.status_code == 422
    assert 'id="from-error">Kies een datum in de jaren 2000 tot en met 2099.</p>' in response.text


@pytest.mark.parametrize("path", PAGES)
async def test_the_page_shows_why_an_unknown_format_is_refused(
    client: Client, site: Site, facilities: Person, path: str
) -> None:
    response = await client.get(path, params={"site": site.id, "format": "xml"})

    assert response.status_code == 422
    assert '<p id="format-error">Onbekend formaat xml; gebruik json of csv.</p>' in response.text


async def test_the_page_shows_why_an_unknown_table_is_refused(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get(
        "/analytics", params={"site": site.id, "format": "csv", "table": "nope"}
    )

    assert response.status_code == 422
    assert '<p id="table-error">Hier is geen tabel nope; kies uit: desks_days,' in response.text


async def test_the_page_asks_to_correct_marked_fields_only_when_a_field_is_marked(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics", params={"site": site.id, "format": "xml"})

    assert "Verbeter de gemarkeerde velden." not in response.text


@pytest.mark.parametrize("path", ROUTES + PAGES)
async def test_employees_are_refused(
    client: Client, site: Site, make_person: MakePerson, login_as: LoginAs, path: str
) -> None:
    # KCC agents and team leads likewise: tests/test_authorization_matrix.py checks every route.
    await login_as(await make_person("Anna"))

    response = await client.get(path, params={"site": site.id})

    assert response.status_code == 403


@pytest.mark.parametrize("path", ROUTES + PAGES)
async def test_admins_may_read_the_reports(
    client: Client, site: Site, make_person: MakePerson, login_as: LoginAs, path: str
) -> None:
    await login_as(await make_person("Ada", roles=(Role.ADMIN,)))

    response = await client.get(path, params={"site": site.id})

    assert response.status_code == 200


def test_the_maximum_period_is_a_setting() -> None:
    settings = Settings.from_env({"WERKPLEK_ENV": "dev", "WERKPLEK_ANALYTICS_MAX_DAYS": "31"})

    assert (Settings().analytics_max_days, settings.analytics_max_days) == (400, 31)
