"""Pages for facilities: occupancy, space planning ("huisvesting") and the work-location mix.

The filters are a plain GET form, so every page works without JavaScript and can
be bookmarked; ``?format=csv&table=<name>`` downloads a table shown on the page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, Response, get
from litestar.response import Template
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.analytics import services
from werkplek.analytics.api import check_format, occupancy_csv, space_plan_csv, work_mix_csv
from werkplek.analytics.charts import (
    PERCENT_COLUMN,
    Chart,
    Column,
    ColumnKind,
    DataTable,
    Series,
    bar_chart,
    html_cell,
    line_chart,
    week_label,
)
from werkplek.analytics.schemas import (
    GroupReport,
    OccupancyFilter,
    OccupancyReport,
    SpacePlanReport,
    WorkMixFilter,
    WorkMixReport,
)
from werkplek.clock import local_today
from werkplek.errors import DomainError
from werkplek.i18n import _
from werkplek.labels import label
from werkplek.people.models import Role, Team
from werkplek.rooms.models import Floor, Site, SpaceKind
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    SettingsDep,
    convert_form,
    form_error,
    page,
    role_required,
)

FILTER_FIELDS = ("site", "from", "to", "kind", "floor")
COUNT_COLUMN = Column("count", "#", ColumnKind.INT)
WORK_MIX_FIELDS = ("from", "to", "team")


def _query(request: Request[Any, Any, Any], fields: Sequence[str]) -> dict[str, str]:
    return {key: request.query_params.get(key, "") for key in fields}


def _refused_filters(exc: FormInvalid | DomainError) -> tuple[dict[str, str], int]:
    """The errors by field and the status a report page is drawn with for filters it cannot
    use: 400 for values that failed validation, as they come from the query string; a domain
    error's own status."""
    if isinstance(exc, FormInvalid):
        return exc.errors, 400
    return form_error(exc), exc.status_code


def _csv_link(values: dict[str, Any], path: str) -> Callable[[str], str]:
    """The download link of a table, keeping the page's filters."""
    kept = {key: str(value) for key, value in values.items() if value not in (None, "")}

    def link(table: str) -> str:
        return f"{path}?{urlencode({**kept, 'format': 'csv', 'table': table})}"

    return link


def _short_date(day: date) -> str:
    return f"{day.day:02d}-{day.month:02d}"


def group_charts(group: GroupReport) -> dict[str, Chart]:
    """Charts for desks or rooms: per day (line), per weekday and per day part (bars)."""
    what = _(services.GROUP_LABELS[group.group]).lower()
    booked, checked_in = _("Booked"), _("Checked in")
    y_label = _("%% of %(what)s", what=what)
    days = [row for row in group.days if row.open]
    charts = {
        "days": line_chart(
            chart_id=f"chart-{group.group}-days",
            title=_("Share of %(what)s booked and checked in per day", what=what),
            description=_(
                "Line chart, one point per day; closed days are left out, as are the "
                "check-ins of days not over yet. %(n)s %(what)s.",
                n=group.spaces,
                what=what,
            ),
            categories=[_short_date(row.date) for row in days],
            series=[
                Series(booked, [row.booked_pct for row in days]),
                Series(checked_in, [row.checked_in_pct for row in days]),
            ],
            x_label=_("Date"),
            y_label=y_label,
            unit="%",
            max_value=100,
        ),
        "weekdays": bar_chart(
            chart_id=f"chart-{group.group}-weekdays",
            title=_("Share of %(what)s booked and checked in per weekday", what=what),
            description=_("Bar chart, averages over the open days of each weekday."),
            categories=[services.weekday_name(row.weekday) for row in group.weekdays],
            series=[
                Series(booked, [row.booked_pct for row in group.weekdays]),
                Series(checked_in, [row.checked_in_pct for row in group.weekdays]),
            ],
            x_label=_("Weekday"),
            y_label=y_label,
            unit="%",
            max_value=100,
        ),
        "day_parts": bar_chart(
            chart_id=f"chart-{group.group}-day-parts",
            title=_("Share of %(what)s booked and checked in per day part", what=what),
            description=_("Bar chart, averages over the open days."),
            categories=[label(row.day_part) for row in group.day_parts],
            series=[
                Series(booked, [row.booked_pct for row in group.day_parts]),
                Series(checked_in, [row.checked_in_pct for row in group.day_parts]),
            ],
            x_label=_("Day part"),
            y_label=y_label,
            unit="%",
            max_value=100,
        ),
    }
    return charts


def occupancy_charts(report: OccupancyReport) -> dict[str, Chart]:
    charts: dict[str, Chart] = {}
    for group in (report.desks, report.rooms):
        if group is not None:
            for key, chart in group_charts(group).items():
                charts[f"{group.group}_{key}"] = chart
    if report.room_fit is not None:
        fit = report.room_fit
        charts["room_fit"] = bar_chart(
            chart_id="chart-room-fit",
            title=_("Booked attendees as a share of the room's seats"),
            description=_("Bar chart: number of room bookings per band."),
            categories=[services.fit_band_tick(band.band) for band in fit.bands],
            series=[Series(_("Bookings"), [band.bookings for band in fit.bands])],
            x_label=_("Attendees as a share of seats"),
            y_label=_("Bookings"),
            decimals=0,
        )
    return charts


def space_plan_charts(report: SpacePlanReport) -> list[Chart]:
    """One grouped bar chart each for desks, meeting rooms and resident rooms."""
    sets = (
        ("desks", _("Desks"), [r for r in report.rows if r.size_band is None]),
        (
            "meeting",
            label(SpaceKind.MEETING_ROOM),
            [r for r in report.rows if r.kind == SpaceKind.MEETING_ROOM],
        ),
        (
            "resident",
            label(SpaceKind.RESIDENT_ROOM),
            [r for r in report.rows if r.kind == SpaceKind.RESIDENT_ROOM],
        ),
    )
    names = {
        "now": _("Available now"),
        "p80": _("For 80% of days"),
        "p90": _("For 90% of days"),
        "p95": _("For 95% of days"),
    }
    charts = []
    for key, title, rows in sets:
        if not any(r.now or r.busiest_day for r in rows):
            continue
        categories = [
            label(r.kind) if r.size_band is None else _(services.SIZE_BAND_LABELS[r.size_band])
            for r in rows
        ]
        charts.append(
            bar_chart(
                chart_id=f"chart-plan-{key}",
                title=_("%(what)s: available now and needed", what=title),
                description=_(
                    "Grouped bar chart: spaces available now, and the number that would have "
                    "served 80, 90 and 95 percent of the open days."
                ),
                categories=categories,
                series=[Series(names[attr], [getattr(r, attr) for r in rows]) for attr in names],
                x_label=title,
                y_label=_("Number of spaces"),
                decimals=0,
            )
        )
    return charts


def work_mix_chart(report: WorkMixReport) -> Chart | None:
    rows = report.totals or [row for row in report.rows if not row.suppressed]
    if not rows:
        return None
    subject = report.team.name if report.team else _("all teams shown")
    return bar_chart(
        chart_id="chart-work-mix",
        title=_("Work locations of %(subject)s, per week", subject=subject),
        description=_("Stacked bar chart: per week the share of half days at each work location."),
        categories=[week_label(row.week) for row in rows],
        series=[
            Series(_(services.MIX_LABELS[kind]), [getattr(row, f"{kind}_pct") for row in rows])
            for kind in services.MIX_KINDS
        ],
        x_label=_("Week"),
        y_label=_("% of half days"),
        unit="%",
        max_value=100,
        stacked=True,
        decimals=0,
    )


class AnalyticsPages(Controller):
    path = "/analytics"
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.FACILITIES)]

    async def _sites_and_floors(self, db: AsyncSession) -> tuple[list[Site], list[Floor]]:
        sites = list((await db.execute(select(Site).order_by(Site.name))).scalars())
        floors = list((await db.execute(select(Floor).order_by(Floor.level, Floor.name))).scalars())
        return sites, floors

    def _render(
        self,
        request: Request[Any, Any, Any],
        template: str,
        *,
        tables: list[DataTable],
        csv_link: Callable[[str], str],
        status_code: int = 200,
        **context: Any,
    ) -> Template:
        return page(
            request,
            template,
            status_code=status_code,
            tables={table.name: table for table in tables},
            csv_link=csv_link,
            cell=html_cell,
            fmt_pct=lambda value: html_cell(value, PERCENT_COLUMN),
            fmt_int=lambda value: html_cell(value, COUNT_COLUMN),
            group_labels=services.GROUP_LABELS,
            **context,
        )

    @get("/", name="analytics:occupancy")
    async def occupancy(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, settings: SettingsDep
    ) -> Template | Response[Any]:
        raw = _query(request, FILTER_FIELDS)
        sites, floors = await self._sites_and_floors(db)
        context: dict[str, Any] = {
            "values": raw,
            "sites": sites,
            "floors": floors,
            "kinds": list(SpaceKind),
            "report": None,
            "charts": {},
        }
        csv_link = _csv_link(raw, "/analytics")
        errors: dict[str, str] = {}
        status = 200
        try:
            output = check_format(request.query_params.get("format"))
            filters = convert_form(
                raw, OccupancyFilter, empty_is_none=("site", "from", "to", "kind", "floor")
            )
            site_id = filters.site
            if site_id is None:
                default = await services.default_site(db)
                site_id = default.id if default is not None else None
            if site_id is not None:
                report = await services.occupancy_report(
                    db,
                    clock,
                    settings,
                    site_id=site_id,
                    first=filters.first,
                    last=filters.last,
                    kind=filters.kind,
                    floor_id=filters.floor,
                )
                if output == "csv":
                    return occupancy_csv(report, request.query_params.get("table"))
                context["report"] = report
                context["charts"] = occupancy_charts(report)
                context["check_ins_to_come"] = report.period.last >= local_today(clock)
                context["values"] = {
                    **raw,
                    "site": str(report.site.id),
                    "from": report.period.first.isoformat(),
                    "to": report.period.last.isoformat(),
                }
                csv_link = _csv_link(context["values"], "/analytics")
        except (FormInvalid, DomainError) as exc:
            errors, status = _refused_filters(exc)
        report_ = context["report"]
        tables = services.occupancy_tables(report_) if report_ is not None else []
        return self._render(
            request,
            "analytics/occupancy.html",
            tables=tables,
            csv_link=csv_link,
            status_code=status,
            errors=errors,
            **context,
        )

    @get("/space-plan", name="analytics:space_plan")
    async def space_plan(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, settings: SettingsDep
    ) -> Template | Response[Any]:
        raw = _query(request, ("site", "from", "to"))
        sites, _floors = await self._sites_and_floors(db)
        report: SpacePlanReport | None = None
        charts: list[Chart] = []
        errors: dict[str, str] = {}
        status = 200
        values: dict[str, Any] = raw
        try:
            output = check_format(request.query_params.get("format"))
            filters = convert_form(raw, OccupancyFilter, empty_is_none=("site", "from", "to"))
            site_id = filters.site
            if site_id is None:
                default = await services.default_site(db)
                site_id = default.id if default is not None else None
            if site_id is not None:
                report = await services.space_plan_report(
                    db, clock, settings, site_id=site_id, first=filters.first, last=filters.last
                )
                if output == "csv":
                    return space_plan_csv(report, request.query_params.get("table"))
                charts = space_plan_charts(report)
                values = {
                    "site": str(report.site.id),
                    "from": report.period.first.isoformat(),
                    "to": report.period.last.isoformat(),
                }
        except (FormInvalid, DomainError) as exc:
            errors, status = _refused_filters(exc)
        return self._render(
            request,
            "analytics/space_plan.html",
            tables=services.space_plan_tables(report) if report is not None else [],
            csv_link=_csv_link(values, "/analytics/space-plan"),
            status_code=status,
            errors=errors,
            values=values,
            sites=sites,
            report=report,
            charts=charts,
        )

    @get("/work-mix", name="analytics:work_mix")
    async def work_mix(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, settings: SettingsDep
    ) -> Template | Response[Any]:
        raw = _query(request, WORK_MIX_FIELDS)
        teams = list((await db.execute(select(Team).order_by(Team.name))).scalars())
        report: WorkMixReport | None = None
        errors: dict[str, str] = {}
        status = 200
        values: dict[str, Any] = raw
        try:
            output = check_format(request.query_params.get("format"))
            filters = convert_form(raw, WorkMixFilter, empty_is_none=("from", "to", "team"))
            report = await services.work_mix_report(
                db, clock, settings, first=filters.first, last=filters.last, team_id=filters.team
            )
            if output == "csv":
                return work_mix_csv(report, request.query_params.get("table"))
            values = {
                **raw,
                "from": report.period.first.isoformat(),
                "to": report.period.last.isoformat(),
            }
        except (FormInvalid, DomainError) as exc:
            errors, status = _refused_filters(exc)
        return self._render(
            request,
            "analytics/work_mix.html",
            tables=services.work_mix_tables(report) if report is not None else [],
            csv_link=_csv_link(values, "/analytics/work-mix"),
            status_code=status,
            errors=errors,
            values=values,
            teams=teams,
            report=report,
            chart=work_mix_chart(report) if report is not None else None,
            min_group_size=services.MIN_GROUP_SIZE,
        )


ROUTES = [AnalyticsPages]
