"""CSV exports: every table, from the API and from the pages, ready for Dutch Excel."""

from __future__ import annotations

import csv
import io
from datetime import date

import pytest

from tests.analytics.conftest import Book, Client
from tests.conftest import LoginAs, MakeFloor, MakePerson, MakeSite, MakeSpace
from werkplek.analytics.charts import Column, ColumnKind, DataTable, csv_bytes
from werkplek.people.models import Person, Role
from werkplek.rooms.models import Site

MON = date(2026, 11, 16)


@pytest.fixture
async def site(make_site: MakeSite, make_space: MakeSpace, book: Book, facilities: Person) -> Site:
    """Three desks; on Monday one is booked in the morning only: 1 of 6 half days."""
    site = await make_site(name="Stadskantoor Dorpstad")
    desks = [await make_space(site) for _ in range(3)]
    await book(desks[0], MON, "morning", status="checked_in")
    return site


def _params(site: Site, table: str) -> dict[str, str | int]:
    return {
        "site": site.id,
        "from": "2026-11-16",
        "to": "2026-11-17",
        "format": "csv",
        "table": table,
    }


def test_csv_uses_semicolons_a_decimal_comma_and_a_byte_order_mark() -> None:
    table = DataTable(
        name="t",
        caption="T",
        columns=[Column("a", "Naam"), Column("b", "Aandeel", ColumnKind.PERCENT)],
        rows=[["Flexplek; raam", 16.67], ["Stilteplek", None]],
    )

    assert csv_bytes(table).decode("utf-8") == (
        '\ufeffNaam;Aandeel (%)\r\n"Flexplek; raam";16,7\r\nStilteplek;\r\n'
    )


async def test_csv_headers_of_percentages_say_percent_as_the_pages_cells_do(
    client: Client, site: Site
) -> None:
    response = await client.get("/api/analytics/occupancy", params=_params(site, "desks_weekdays"))

    # a count per day is "Ochtend gereserveerd" too; without its % sign a share reads as one
    header = response.content.decode("utf-8-sig").splitlines()[0].split(";")
    assert header[2:4] == ["Ochtend gereserveerd (%)", "Ochtend ingecheckt (%)"]


@pytest.mark.parametrize(
    "name", ['=HYPERLINK("http://evil";"klik")', "+31 50 123", "-2+3", "@SUM(A1)", "\tx", "\rx"]
)
def test_csv_text_cells_that_could_start_a_formula_begin_with_a_quote(name: str) -> None:
    table = DataTable(name="t", caption="T", columns=[Column("a", "Team")], rows=[[name]])

    rows = list(csv.reader(io.StringIO(csv_bytes(table).decode("utf-8-sig")), delimiter=";"))
    assert rows[1] == ["'" + name]


def test_csv_negative_numbers_stay_numbers() -> None:
    table = DataTable(
        name="t",
        caption="T",
        columns=[
            Column("a", "Verschil", ColumnKind.INT),
            Column("b", "Aandeel", ColumnKind.PERCENT),
            Column("c", "Saldo"),
        ],
        rows=[[-3, -12.5, -4]],
    )

    assert csv_bytes(table).decode("utf-8-sig").splitlines()[1] == "-3;-12,5;-4"


async def test_the_api_exports_a_table_as_a_csv_attachment(client: Client, site: Site) -> None:
    response = await client.get("/api/analytics/occupancy", params=_params(site, "desks_days"))

    assert (response.status_code, response.headers["content-type"]) == (
        200,
        "text/csv; charset=utf-8",
    )
    assert response.headers["content-disposition"] == (
        'attachment; filename="bezetting-stadskantoor-dorpstad-'
        '2026-11-16-2026-11-17-werkplekken-per-dag.csv"'
    )


@pytest.mark.parametrize(
    ("language", "path", "table", "filename"),
    [
        (
            "nl",
            "occupancy",
            "rooms_weekdays",
            "bezetting-stadskantoor-dorpstad-{period}-ruimtes-per-weekdag",
        ),
        ("nl", "occupancy", "no_show", "bezetting-stadskantoor-dorpstad-{period}-no-shows"),
        (
            "nl",
            "space-plan",
            "space_plan",
            "huisvesting-stadskantoor-dorpstad-{period}-nodig-en-beschikbaar",
        ),
        (
            "nl",
            "space-plan",
            "plan_days",
            "huisvesting-stadskantoor-dorpstad-{period}-behoefte-per-openingsdag",
        ),
        ("nl", "work-mix", "work_mix", "werklocaties-{period}-per-team-en-week"),
        ("en", "occupancy", "desks_days", "occupancy-stadskantoor-dorpstad-{period}-desks-per-day"),
        ("en", "occupancy", "no_show", "occupancy-stadskantoor-dorpstad-{period}-no-shows"),
        (
            "en",
            "space-plan",
            "space_plan",
            "space-planning-stadskantoor-dorpstad-{period}-needed-and-available",
        ),
        (
            "en",
            "space-plan",
            "plan_days",
            "space-planning-stadskantoor-dorpstad-{period}-need-per-open-day",
        ),
        ("en", "work-mix", "work_mix", "work-locations-{period}-per-team-and-week"),
    ],
)
async def test_the_csv_file_is_named_in_the_users_language_alone(
    client: Client,
    site: Site,
    make_person: MakePerson,
    login_as: LoginAs,
    language: str,
    path: str,
    table: str,
    filename: str,
) -> None:
    await login_as(await make_person("Fay", roles=(Role.FACILITIES,), language=language))

    response = await client.get(f"/api/analytics/{path}", params=_params(site, table))

    name = filename.format(period="2026-11-16-2026-11-17")
    assert response.headers["content-disposition"] == f'attachment; filename="{name}.csv"'


async def test_the_csv_file_names_the_floor_and_kind_it_was_filtered_on(
    client: Client, site: Site, make_floor: MakeFloor
) -> None:
    floor = await make_floor(site, "Tweede verdieping", level=2)

    response = await client.get(
        "/api/analytics/occupancy",
        params=_params(site, "desks_days") | {"floor": floor.id, "kind": "quiet_desk"},
    )

    # two floors' exports were both bezetting-stadskantoor-dorpstad-...-werkplekken-per-dag.csv
    assert response.headers["content-disposition"] == (
        'attachment; filename="bezetting-stadskantoor-dorpstad-tweede-verdieping-stilteplek-'
        '2026-11-16-2026-11-17-werkplekken-per-dag.csv"'
    )


async def test_the_csv_holds_the_tables_rows_in_dutch(client: Client, site: Site) -> None:
    response = await client.get("/api/analytics/occupancy", params=_params(site, "desks_days"))

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("Datum;Weekdag;Open;Ochtend gereserveerd;")
    assert lines[1] == "2026-11-16;maandag;ja;1;1;0;0;16,7;16,7"


async def test_the_page_exports_the_same_table(client: Client, site: Site) -> None:
    from_api = await client.get("/api/analytics/occupancy", params=_params(site, "desks_weekdays"))
    from_page = await client.get("/analytics", params=_params(site, "desks_weekdays"))

    assert from_page.headers["content-type"] == "text/csv; charset=utf-8"
    assert from_page.content == from_api.content


async def test_the_space_plan_exports_its_table(client: Client, site: Site) -> None:
    response = await client.get(
        "/analytics/space-plan", params=_params(site, "space_plan") | {"format": "csv"}
    )

    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[1] == "Flexplek;3;1;1;1;1;2"


async def test_the_work_mix_exports_withheld_figures_as_less_than_five(
    client: Client, make_team: object, make_person: object, facilities: Person
) -> None:
    team = await make_team("Archief")  # type: ignore[operator]
    await make_person("Ab", teams=(team,))  # type: ignore[operator]

    response = await client.get(
        "/api/analytics/work-mix",
        params={"from": "2026-11-16", "to": "2026-11-20", "format": "csv", "table": "work_mix"},
    )

    assert response.content.decode("utf-8-sig").splitlines()[1] == (
        "Archief;2026-W47;2026-11-16;< 5;< 5;< 5;< 5;< 5;< 5;< 5;< 5"
    )


async def test_the_csv_file_name_keeps_the_letters_of_accented_names(
    client: Client, site: Site, make_floor: MakeFloor
) -> None:
    floor = await make_floor(site, "Café beneden", level=0)

    response = await client.get(
        "/api/analytics/occupancy", params=_params(site, "desks_days") | {"floor": floor.id}
    )

    assert "-cafe-beneden-" in response.headers["content-disposition"]
