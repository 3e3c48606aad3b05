"""The report pages: filters as a plain GET form, charts with their tables, links to CSV."""

from __future__ import annotations

import re
from datetime import date

import pytest

from tests.analytics.conftest import Book, Client
from tests.conftest import LoginAs, MakePerson, MakeSite, MakeSpace
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Site

MON = date(2026, 11, 16)
PERIOD = {"from": "2026-11-16", "to": "2026-11-20"}


@pytest.fixture
async def site(make_site: MakeSite, make_space: MakeSpace, book: Book) -> Site:
    site = await make_site()
    desk = await make_space(site)
    room = await make_space(site, kind="meeting_room", capacity=6)
    await book(desk, MON, "morning", status="checked_in")
    await book(room, MON, "afternoon", attendees=4)
    return site


async def test_the_occupancy_page_shows_charts_with_their_tables(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics", params=PERIOD)

    assert response.status_code == 200
    assert response.text.count('role="img"') == 7  # desks 3, rooms 3, room fit 1
    assert 'id="table-desks_weekdays"' in response.text
    assert 'id="table-room_fit"' in response.text


async def test_each_chart_stands_in_a_frame_named_by_its_title_that_takes_the_focus(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics", params=PERIOD)

    frames = re.findall(r'<figure class="analytics-chart"[^>]*>\s*<svg[^>]*>', response.text)
    assert len(frames) == 7
    for frame in frames:
        title = re.search(r'aria-labelledby="([^"]+)">', frame)
        chart = re.search(r'<svg[^>]* id="([^"]+)"', frame)
        assert 'tabindex="0" role="region"' in frame
        assert title and chart and title.group(1) == f"{chart.group(1)}-title"


async def test_the_occupancy_page_writes_its_period_and_busiest_half_day_as_dutch_dates(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics", params=PERIOD)

    text = re.sub(r"<[^>]+>", "", response.text)
    assert "16-11-2026 tot en met 20-11-2026" in text
    assert "op 16-11-2026, ochtend" in text


async def test_a_period_reaching_today_says_half_days_to_come_have_no_check_in_share(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics", params={"from": "2026-11-16", "to": "2026-11-27"})

    assert "Het aandeel ingecheckt telt alleen de dagdelen die voorbij zijn" in response.text


async def test_a_period_that_is_over_says_nothing_of_half_days_to_come(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics", params=PERIOD)

    assert "dagdelen die voorbij zijn" not in response.text


async def test_the_occupancy_page_chooses_the_first_site_by_default(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics")

    assert f'<option value="{site.id}" selected>' in response.text


async def test_every_table_links_to_its_csv_keeping_the_filters(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics", params={"site": site.id, **PERIOD})

    tables = re.findall(r'id="table-([a-z_]+)"', response.text)
    links = re.findall(r'href="/analytics\?([^"]+)" download', response.text)
    assert len(tables) == len(links) == 10
    assert links[0] == (
        f"site={site.id}&amp;from=2026-11-16&amp;to=2026-11-20&amp;format=csv&amp;table=desks_days"
    )


async def test_the_room_fit_note_writes_its_share_with_a_decimal_comma_in_dutch(
    client: Client, site: Site, make_space: MakeSpace, book: Book, facilities: Person
) -> None:
    room = await make_space(site, kind="meeting_room", capacity=6)
    await book(room, MON, "morning", attendees=2)
    await book(room, MON, "afternoon", attendees=6)

    response = await client.get("/analytics", params=PERIOD)

    # 2 of 6 seats and 4 of 6 seats (the fixture's) and 6 of 6: one of three is half or less
    assert "33,3\u00a0% van de reserveringen van ruimtes" in response.text


async def test_the_room_fit_chart_names_every_band_under_its_bar(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics", params=PERIOD)

    chart = re.search(r'<svg[^>]*id="chart-room-fit".*?</svg>', response.text, re.S)
    assert chart is not None
    axis = chart.group(0).split('class="chart-axis chart-x-axis"')[1]
    ticks = re.findall(r'<text class="chart-tick"[^>]*>([^<]*)</text>', axis)
    assert ticks == [
        "≤ 25\u00a0%",
        "26–50\u00a0%",
        "51–75\u00a0%",
        "76–100\u00a0%",
        "&gt; 100\u00a0%",
    ]


async def test_the_pages_use_no_inline_styles_or_scripts(
    client: Client, site: Site, facilities: Person
) -> None:
    pages = [
        await client.get(path, params=PERIOD)
        for path in ("/analytics", "/analytics/space-plan", "/analytics/work-mix")
    ]

    html = "".join(page.text for page in pages)
    assert " style=" not in html and "<script>" not in html


async def test_the_space_plan_page_compares_needed_and_available(
    client: Client, site: Site, facilities: Person
) -> None:
    response = await client.get("/analytics/space-plan", params=PERIOD)

    assert response.status_code == 200
    assert 'id="table-space_plan"' in response.text and 'id="chart-plan-desks"' in response.text


async def test_the_work_mix_page_says_why_small_teams_are_missing(
    client: Client, make_team: object, make_person: MakePerson, facilities: Person
) -> None:
    team = await make_team("Archief")  # type: ignore[operator]
    await make_person("Ab", teams=(team,))

    response = await client.get("/analytics/work-mix", params={**PERIOD, "team": team.id})  # type: ignore[attr-defined]

    assert "Dit team heeft minder dan 5 mensen" in response.text


async def test_the_work_mix_table_names_a_week_as_its_chart_does(
    client: Client, make_team: object, make_person: MakePerson, facilities: Person
) -> None:
    team = await make_team("Vergunningen")  # type: ignore[operator]
    for number in range(5):
        await make_person(f"Collega {number}", teams=(team,))

    response = await client.get("/analytics/work-mix", params={**PERIOD, "team": team.id})  # type: ignore[attr-defined]

    assert "<td>wk 47</td>" in response.text
    assert "2026-W47" not in response.text


async def test_facilities_find_the_reports_in_the_menu(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Fenna", roles=(Role.FACILITIES,)))

    response = await client.get("/")

    assert '<a href="/analytics"' in response.text and "Bezetting en huisvesting" in response.text


async def test_employees_do_not_see_the_reports_in_the_menu(
    client: Client, make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person("Anna"))

    response = await client.get("/")

    assert 'href="/analytics"' not in response.text


async def test_the_report_writes_the_capacity_cap_as_the_sites_list_does(
    client: Client, make_site: MakeSite, make_space: MakeSpace, facilities: Person
) -> None:
    site = await make_site("Raadhuis", capacity_cap_percent=60)
    await make_space(site)

    report = await client.get("/analytics", params={**PERIOD, "site": site.id})
    sites = await client.get("/admin/sites")

    assert ("60\u00a0% van 1 werkplek:" in report.text, ">60\u00a0%</td>" in sites.text) == (
        True,
        True,
    )


@pytest.mark.parametrize("path", ["/analytics", "/analytics/space-plan", "/analytics/work-mix"])
async def test_a_reports_period_never_breaks_a_date_at_its_hyphens(
    client: Client, site: Site, facilities: Person, path: str
) -> None:
    response = await client.get(path, params=PERIOD)

    assert (
        '<span class="nowrap">16-11-2026</span> tot en met <span class="nowrap">20-11-2026</span>'
        in response.text
    )
