"""JSON API: /api/analytics/occupancy, /space-plan and /work-mix (facilities and admins).

Each also answers ``?format=csv&table=<name>`` with one of the report's tables as
CSV (semicolon-separated, decimal comma, UTF-8 with BOM, for Dutch Excel).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Response, get
from litestar.params import QueryParameter

from werkplek.analytics import services
from werkplek.analytics.charts import csv_response
from werkplek.analytics.schemas import OccupancyReport, SpacePlanReport, WorkMixReport
from werkplek.errors import InvalidInput
from werkplek.i18n import _
from werkplek.labels import label
from werkplek.people.models import Role
from werkplek.rooms.models import SpaceKind
from werkplek.web import ClockDep, DbDep, SettingsDep, role_required

FORMATS = ("json", "csv")
FROM_HELP = (
    "First day, YYYY-MM-DD, a local date, from 2000-01-01 to 2099-12-31 (else 422 "
    "`invalid_date` or `date_out_of_range`). Default: the four weeks (28 days) ending with "
    "`to`, or without either the four weeks up to today in Europe/Amsterdam. After `to`: 422 "
    "`invalid_period`."
)
TO_HELP = (
    "Last day, YYYY-MM-DD, included, in the same years as `from`. Default: today, or with "
    "`from` alone the 28th day from it (at most 2099-12-31). A period may be at most "
    "`WERKPLEK_ANALYTICS_MAX_DAYS` days long (default 400), else 422 `period_too_long` on `to`."
)
SITE_HELP = "The site (id); without it 400 naming `site`, an unknown one 404."
FORMAT_HELP = "`json` (the default) or `csv`, in any case; anything else is 422 on `format`."
TABLE_HELP = (
    "With `format=csv`: the table to export, by name (see the description); by default the "
    "first. An unknown name is 422 on `table`. Ignored for JSON."
)
SiteQuery = Annotated[int, QueryParameter(name="site", description=SITE_HELP)]
FromQuery = Annotated[str | None, QueryParameter(name="from", description=FROM_HELP)]
ToQuery = Annotated[str | None, QueryParameter(name="to", description=TO_HELP)]
FormatQuery = Annotated[str | None, QueryParameter(name="format", description=FORMAT_HELP)]
TableQuery = Annotated[str | None, QueryParameter(name="table", description=TABLE_HELP)]


def parse_day(value: str | None, field: str) -> date | None:
    """A ``YYYY-MM-DD`` query value; the error names the query field (``from``/``to``)."""
    if value is None or value == "":
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(
            _("Give the date as YYYY-MM-DD, for example 2026-11-16."),
            field=field,
            code="invalid_date",
        ) from None


def check_format(value: str | None) -> str:
    chosen = (value or "json").lower()
    if chosen not in FORMATS:
        raise InvalidInput(
            _("Unknown format %(format)s; use json or csv.", format=value), field="format"
        )
    return chosen


def occupancy_csv(report: OccupancyReport, table: str | None) -> Response[bytes]:
    chosen = services.find_table(services.occupancy_tables(report), table)
    return csv_response(
        chosen,
        _("Occupancy"),
        report.site.name,
        report.floor.name if report.floor else "",
        label(report.kind) if report.kind else "",
        report.period.first.isoformat(),
        report.period.last.isoformat(),
    )


def space_plan_csv(report: SpacePlanReport, table: str | None) -> Response[bytes]:
    chosen = services.find_table(services.space_plan_tables(report), table)
    return csv_response(
        chosen,
        _("Space planning"),
        report.site.name,
        report.period.first.isoformat(),
        report.period.last.isoformat(),
    )


def work_mix_csv(report: WorkMixReport, table: str | None) -> Response[bytes]:
    chosen = services.find_table(services.work_mix_tables(report), table)
    return csv_response(
        chosen,
        _("Work locations"),
        report.team.name if report.team else "",
        report.period.first.isoformat(),
        report.period.last.isoformat(),
    )


class AnalyticsController(Controller):
    path = "/api/analytics"
    tags = ["analytics"]
    guards = [role_required(Role.FACILITIES)]

    @get(
        "/occupancy",
        summary="Desk and room occupancy of a site over a period (facilities)",
        description=(
            "Per day, weekday and day part: spaces booked and checked in, peak, no-show rate, "
            "days at the capacity cap and meeting-room fit. Aggregates only. "
            "`format=csv` with `table=` (desks_days, desks_weekdays, desks_day_parts, "
            "rooms_days, rooms_weekdays, rooms_day_parts, no_show, capacity_cap, room_fit, "
            "room_fit_sizes) returns that table as CSV."
        ),
    )
    async def occupancy(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        site: SiteQuery,
        first: FromQuery = None,
        last: ToQuery = None,
        kind: Annotated[
            SpaceKind | None,
            QueryParameter(
                name="kind",
                description="Only this one kind of space; the report then holds only desks "
                "or only rooms. Default: every kind.",
            ),
        ] = None,
        floor: Annotated[
            int | None,
            QueryParameter(
                name="floor",
                description="Only the spaces on this floor (id), one of the site's (else 422 "
                "on `floor`). The capacity cap still counts the whole site.",
            ),
        ] = None,
        output: FormatQuery = None,
        table: TableQuery = None,
    ) -> OccupancyReport | Response[Any]:
        chosen = check_format(output)
        report = await services.occupancy_report(
            db,
            clock,
            settings,
            site_id=site,
            first=parse_day(first, "from"),
            last=parse_day(last, "to"),
            kind=kind,
            floor_id=floor,
        )
        return occupancy_csv(report, table) if chosen == "csv" else report

    @get(
        "/space-plan",
        summary="Spaces needed on the 80/90/95th percentile day against what the site has",
        description=(
            "Counts the open days up to today: a `from` or `to` after today is refused "
            "(422, `period_not_over`), and `from` alone runs to today at most. "
            "`format=csv` with `table=` (space_plan, plan_days) returns that table as CSV."
        ),
    )
    async def space_plan(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        site: SiteQuery,
        first: FromQuery = None,
        last: ToQuery = None,
        output: FormatQuery = None,
        table: TableQuery = None,
    ) -> SpacePlanReport | Response[Any]:
        chosen = check_format(output)
        report = await services.space_plan_report(
            db,
            clock,
            settings,
            site_id=site,
            first=parse_day(first, "from"),
            last=parse_day(last, "to"),
        )
        return space_plan_csv(report, table) if chosen == "csv" else report

    @get(
        "/work-mix",
        summary="Work locations per team and week (teams of fewer than 5 withheld)",
        description=(
            "`format=csv` with `table=` (work_mix, work_mix_total) returns that table as CSV."
        ),
    )
    async def work_mix(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        first: FromQuery = None,
        last: ToQuery = None,
        team: Annotated[
            int | None,
            QueryParameter(
                name="team",
                description="Only this team (id); an unknown one is 404 on `team`. Default: "
                "every team.",
            ),
        ] = None,
        output: FormatQuery = None,
        table: TableQuery = None,
    ) -> WorkMixReport | Response[Any]:
        chosen = check_format(output)
        report = await services.work_mix_report(
            db,
            clock,
            settings,
            first=parse_day(first, "from"),
            last=parse_day(last, "to"),
            team_id=team,
        )
        return work_mix_csv(report, table) if chosen == "csv" else report


ROUTES = [AnalyticsController]
