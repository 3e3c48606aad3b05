"""Charts and tables for the analytics pages: server-rendered SVG, HTML cells and CSV.

Every chart is an ``<svg role="img">`` labelled by its ``<title>`` and ``<desc>``
(the description also names the highest and lowest values, for screen readers),
with axis titles, and series told apart by pattern and shape as well as colour,
so nothing depends on seeing colour. Values are printed on the bars when there
is room; the same numbers are always in a table beside the chart.

No inline styles (the CSP forbids them): text and lines carry classes styled in
``static/css/werkplek.css``; only the ``fill``/``stroke`` presentation attributes
are set here.

CSV exports use a semicolon between fields and a decimal comma, as Dutch Excel
expects, start with a UTF-8 byte order mark (so Excel reads accents correctly),
and show dates as ISO ``YYYY-MM-DD``; a column of percentages says ``(%)`` in its
name, since its cells are plain numbers. A text cell that Excel could read as a formula
(one starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return, such as a
team named ``=HYPERLINK(...)``) gets a leading ``'`` (OWASP's advice on CSV injection);
numbers are written as they are, negative ones too.
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from html import escape
from typing import Any

from litestar import Response
from markupsafe import Markup

from werkplek.i18n import _, format_number, format_percent
from werkplek.labels import short_date

# --- values, cells and tables -------------------------------------------------------------


class Suppressed:
    """A figure withheld because the group it describes is smaller than the minimum."""

    _instance: Suppressed | None = None

    def __new__(cls) -> Suppressed:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "SUPPRESSED"


SUPPRESSED = Suppressed()
SUPPRESSED_TEXT = "< 5"


class ColumnKind(StrEnum):
    TEXT = "text"
    INT = "int"
    NUMBER = "number"  # one decimal
    PERCENT = "percent"  # one decimal, shown with %
    DATE = "date"
    WEEK = "week"  # a week's Monday: "wk 46" on a page, "2026-W46" in a CSV file


@dataclass(frozen=True)
class Column:
    key: str
    label: str  # already translated
    kind: ColumnKind = ColumnKind.TEXT

    @property
    def is_numeric(self) -> bool:
        return self.kind in (ColumnKind.INT, ColumnKind.NUMBER, ColumnKind.PERCENT)


@dataclass(frozen=True)
class DataTable:
    """A table shown on a page and exported as CSV (``?format=csv&table=<name>``)."""

    name: str
    caption: str
    columns: list[Column]
    rows: list[list[Any]]
    note: str = ""
    row_header: bool = True  # the first column names the row
    short_caption: str = ""  # names the table in its download's file name where the caption
    # is too long for one; in the reader's language, as the caption

    @property
    def file_title(self) -> str:
        """The table's words in the name of its CSV download."""
        return self.short_caption or self.caption

    def column_values(self, key: str) -> list[Any]:
        index = next(i for i, c in enumerate(self.columns) if c.key == key)
        return [row[index] for row in self.rows]


#: A share shown on its own, outside a table (``html_cell(value, PERCENT_COLUMN)``).
PERCENT_COLUMN = Column("percent", "%", ColumnKind.PERCENT)


def week_label(monday: date) -> str:
    """A week as pages and charts name it: ``wk 46``."""
    week = _("wk")
    return f"{week} {monday.isocalendar().week}"


def html_cell(value: Any, column: Column) -> str:
    """The text of a table cell on a page."""
    if value is SUPPRESSED:
        return SUPPRESSED_TEXT
    if value is None:
        return "–"
    if column.kind is ColumnKind.INT:
        return format_number(int(value), 0)
    if column.kind is ColumnKind.NUMBER:
        return format_number(float(value))
    if column.kind is ColumnKind.PERCENT:
        return format_percent(float(value))
    if column.kind is ColumnKind.WEEK:
        return week_label(value)
    if isinstance(value, date):
        return short_date(value)  # as every page writes a date; the CSV keeps ISO
    return str(value)


#: What a spreadsheet may take as the start of a formula (OWASP, CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(text: str) -> str:
    """Text for a CSV field that a spreadsheet shows as text, never runs as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: Any, column: Column) -> str:
    """The text of a CSV field: decimal comma, no thousands separator, ISO dates;
    text that could start a formula is quoted (``csv_text``), numbers never are."""
    if value is SUPPRESSED:
        return SUPPRESSED_TEXT
    if value is None:
        return ""
    if column.kind is ColumnKind.INT:
        return str(int(value))
    if column.kind in (ColumnKind.NUMBER, ColumnKind.PERCENT):
        return f"{float(value):.1f}".replace(".", ",")
    if column.kind is ColumnKind.WEEK:
        year, week, _weekday = value.isocalendar()
        return f"{year}-W{week:02d}"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int | float | Decimal):
        return str(value)
    return csv_text(str(value))


CSV_BOM = "\ufeff"


def csv_header(column: Column) -> str:
    """A column's name in a CSV file. A share's cells are bare numbers there (``57,1``,
    not the page's ``57,1 %``, see ``format_percent``), so its name says they are percentages."""
    return f"{column.label} (%)" if column.kind is ColumnKind.PERCENT else column.label


def csv_bytes(table: DataTable) -> bytes:
    """The table as CSV for Dutch Excel: ``;`` between fields, decimal comma, UTF-8 with BOM."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([csv_text(csv_header(column)) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [csv_cell(value, column) for value, column in zip(row, table.columns, strict=True)]
        )
    return (CSV_BOM + buffer.getvalue()).encode("utf-8")


def _slug(text: str) -> str:
    """``text`` in ASCII letters, digits and hyphens, accents dropped (café: cafe)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-") or "export"


def csv_response(table: DataTable, *parts: str) -> Response[bytes]:
    """A CSV download named after the report, its subject (with any floor or kind it was
    filtered on), period and table.

    The report's and the table's words are those of its page in the user's language, so
    the whole name is in one language; every part is reduced to ASCII letters, digits and
    hyphens, so the name is safe in any file system.
    """
    filename = "-".join(_slug(part) for part in (*parts, table.file_title) if part) + ".csv"
    return Response(
        content=csv_bytes(table),
        media_type="text/csv",  # Litestar adds "; charset=utf-8"
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- chart drawing --------------------------------------------------------------------------

WIDTH = 720
HEIGHT = 340
MARGIN_LEFT = 70
MARGIN_RIGHT = 20
MARGIN_TOP = 44
MARGIN_BOTTOM = 66

# Dark enough for 3:1 against white (WCAG 1.4.11) and told apart by pattern and shape too.
COLOURS = ("#0b5394", "#9c4a00", "#1d6b34", "#5b2a86", "#4a5360", "#8a1538")
MARKERS = ("circle", "square", "triangle", "diamond", "cross", "circle")
DASHES = ("", "8 4", "2 4", "10 4 2 4", "4 4", "1 3")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


class Chart(Markup):
    """A chart's SVG, with the id of its title, which names the frame it scrolls in on a
    phone (``analytics/macros.html``, ``chart_frame``)."""

    title_id: str


@dataclass
class _Svg:
    chart_id: str
    title: str
    description: str
    parts: list[str] = field(default_factory=list)
    top: float = MARGIN_TOP  # where the plot starts, below the legend

    def add(self, element: str) -> None:
        self.parts.append(element)

    def render(self, css_class: str) -> Chart:
        cid = escape(self.chart_id)
        head = (
            f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css_class}" '
            f'viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
            f'aria-labelledby="{cid}-title {cid}-desc" id="{cid}">'
            f'<title id="{cid}-title">{escape(self.title)}</title>'
            f'<desc id="{cid}-desc">{escape(self.description)}</desc>'
        )
        chart = Chart(head + "".join(self.parts) + "</svg>")
        chart.title_id = f"{self.chart_id}-title"
        return chart


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def nice_ceiling(value: float, *, whole: bool = False) -> tuple[float, float]:
    """A round axis maximum at or above ``value`` and the tick step (about five ticks);
    ``whole`` for counts, whose steps are whole numbers (no tick at 1.5 rooms)."""
    if value <= 0:
        return (1.0, 1.0) if whole else (1.0, 0.2)
    raw_step = max(value / 5, 1) if whole else value / 5
    magnitude = 10 ** math.floor(math.log10(raw_step))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw_step and not (whole and step % 1):
            break
    top = math.ceil(value / step - 1e-9) * step
    return top, step


def _patterns(svg: _Svg, count: int) -> list[str]:
    """One fill per series: solid, diagonal stripes, dots, cross-hatch, ... (as url refs)."""
    fills = []
    defs = ["<defs>"]
    for index in range(count):
        colour = COLOURS[index % len(COLOURS)]
        pid = f"{svg.chart_id}-fill-{index}"
        style = index % 6
        if style == 0:
            fills.append(colour)
            continue
        defs.append(
            f'<pattern id="{escape(pid)}" patternUnits="userSpaceOnUse" width="8" height="8"'
            + (' patternTransform="rotate(45)"' if style in (1, 3) else "")
            + f'><rect width="8" height="8" fill="{colour}"/>'
        )
        if style == 1:
            defs.append('<rect x="0" y="0" width="3" height="8" fill="#ffffff"/>')
        elif style == 2:
            defs.append('<circle cx="4" cy="4" r="1.8" fill="#ffffff"/>')
        elif style == 3:
            defs.append('<rect x="0" y="0" width="2" height="8" fill="#ffffff"/>')
            defs.append('<rect x="0" y="0" width="8" height="2" fill="#ffffff"/>')
        elif style == 4:
            defs.append('<rect x="0" y="0" width="8" height="2.5" fill="#ffffff"/>')
        else:
            defs.append('<rect x="0" y="0" width="2.5" height="8" fill="#ffffff"/>')
        defs.append("</pattern>")
        fills.append(f"url(#{escape(pid)})")
    defs.append("</defs>")
    if len(defs) > 2:
        svg.add("".join(defs))
    return fills


def _marker(shape: str, x: float, y: float, colour: str, size: float = 4.5) -> str:
    if shape == "square":
        return (
            f'<rect x="{_num(x - size)}" y="{_num(y - size)}" width="{_num(2 * size)}" '
            f'height="{_num(2 * size)}" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
        )
    if shape == "triangle":
        points = f"{_num(x)},{_num(y - size - 1)} {_num(x - size - 1)},{_num(y + size)} " + (
            f"{_num(x + size + 1)},{_num(y + size)}"
        )
        return f'<polygon points="{points}" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
    if shape == "diamond":
        s = size + 1
        points = f"{_num(x)},{_num(y - s)} {_num(x + s)},{_num(y)} {_num(x)},{_num(y + s)} " + (
            f"{_num(x - s)},{_num(y)}"
        )
        return f'<polygon points="{points}" fill="{colour}" stroke="#ffffff" stroke-width="1"/>'
    if shape == "cross":
        return (
            f'<path d="M{_num(x - size)} {_num(y - size)}L{_num(x + size)} {_num(y + size)}'
            f'M{_num(x - size)} {_num(y + size)}L{_num(x + size)} {_num(y - size)}" '
            f'stroke="{colour}" stroke-width="2.5" fill="none"/>'
        )
    return (
        f'<circle cx="{_num(x)}" cy="{_num(y)}" r="{_num(size)}" fill="{colour}" '
        'stroke="#ffffff" stroke-width="1"/>'
    )


def _legend(
    svg: _Svg, series: Sequence[Series], swatch: Callable[[int, float, float], str]
) -> None:
    """Swatches and names of the series above the plot, wrapping onto more rows."""
    if len(series) < 2:
        return
    x = float(MARGIN_LEFT)
    y = 18.0
    items = ['<g class="chart-legend">']
    for index, item in enumerate(series):
        width = 26 + 6.8 * len(item.label)
        if x + width > WIDTH - MARGIN_RIGHT and x > MARGIN_LEFT:
            x, y = float(MARGIN_LEFT), y + 20
        items.append(swatch(index, x, y))
        items.append(
            f'<text class="chart-legend-label" x="{_num(x + 22)}" y="{_num(y + 4)}">'
            f"{escape(item.label)}</text>"
        )
        x += width + 14
    items.append("</g>")
    svg.add("".join(items))
    svg.top = y + MARGIN_TOP - 18


def _y_axis(svg: _Svg, top: float, step: float, y_label: str, fmt: Callable[[float], str]) -> None:
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    plot_height = plot_bottom - svg.top
    parts = ['<g class="chart-axis chart-y-axis">']
    ticks = round(top / step)
    for index in range(ticks + 1):
        value = step * index
        y = plot_bottom - plot_height * value / top
        parts.append(
            f'<line class="chart-grid" x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" '
            f'y1="{_num(y)}" y2="{_num(y)}" stroke="#c9d0d9" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="chart-tick" x="{MARGIN_LEFT - 8}" y="{_num(y + 4)}" '
            f'text-anchor="end">{escape(fmt(value))}</text>'
        )
    parts.append(
        f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT}" y1="{_num(svg.top)}" y2="{plot_bottom}" '
        'stroke="#1b1f24" stroke-width="1"/>'
    )
    centre = svg.top + plot_height / 2
    parts.append(
        f'<text class="chart-axis-title" x="16" y="{_num(centre)}" text-anchor="middle" '
        f'transform="rotate(-90 16 {_num(centre)})">{escape(y_label)}</text>'
    )
    parts.append("</g>")
    svg.add("".join(parts))


def _x_axis(svg: _Svg, categories: Sequence[str], centres: Sequence[float], x_label: str) -> None:
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    longest = max((len(c) for c in categories), default=1)
    room_per_label = 7.0 * longest + 8
    every = max(1, math.ceil(len(categories) * room_per_label / plot_width))
    parts = ['<g class="chart-axis chart-x-axis">']
    parts.append(
        f'<line x1="{MARGIN_LEFT}" x2="{WIDTH - MARGIN_RIGHT}" y1="{plot_bottom}" '
        f'y2="{plot_bottom}" stroke="#1b1f24" stroke-width="1"/>'
    )
    for index, (name, x) in enumerate(zip(categories, centres, strict=True)):
        if index % every:
            continue
        parts.append(
            f'<line x1="{_num(x)}" x2="{_num(x)}" y1="{plot_bottom}" y2="{plot_bottom + 5}" '
            'stroke="#1b1f24" stroke-width="1"/>'
        )
        parts.append(
            f'<text class="chart-tick" x="{_num(x)}" y="{plot_bottom + 20}" '
            f'text-anchor="middle">{escape(name)}</text>'
        )
    parts.append(
        f'<text class="chart-axis-title" x="{_num(MARGIN_LEFT + plot_width / 2)}" '
        f'y="{HEIGHT - 12}" text-anchor="middle">{escape(x_label)}</text>'
    )
    parts.append("</g>")
    svg.add("".join(parts))


def _summary(
    categories: Sequence[str], series: Sequence[Series], fmt: Callable[[float], str]
) -> str:
    """ "Booked: highest 80 % (Tuesday), lowest 20 % (Friday)." for each series."""
    sentences = []
    for item in series:
        pairs = [(v, c) for v, c in zip(item.values, categories, strict=True) if v is not None]
        if not pairs:
            continue
        high = max(pairs, key=lambda pair: pair[0])
        low = min(pairs, key=lambda pair: pair[0])
        sentences.append(
            _(
                "%(series)s: highest %(high)s (%(high_at)s), lowest %(low)s (%(low_at)s).",
                series=item.label,
                high=fmt(high[0]),
                high_at=high[1],
                low=fmt(low[0]),
                low_at=low[1],
            )
        )
    return " ".join(sentences)


def _no_data(svg: _Svg, css_class: str) -> Chart:
    message = escape(_("No data for this selection."))
    svg.add(
        f'<text class="chart-empty" x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle">'
        f"{message}</text>"
    )
    return svg.render(css_class)


def unit_formatter(unit: str = "", decimals: int = 1) -> Callable[[float], str]:
    def fmt(value: float) -> str:
        number = round(value) if decimals == 0 or float(value).is_integer() else value
        if unit == "%":
            return format_percent(number, decimals)
        text = format_number(number, decimals)
        return f"{text} {unit}".rstrip() if unit else text

    return fmt


def bar_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    unit: str = "",
    max_value: float | None = None,
    stacked: bool = False,
    decimals: int = 1,
) -> Chart:
    """Vertical bars per category: grouped side by side, or stacked when ``stacked``."""
    fmt = unit_formatter(unit, decimals)
    values = [v for item in series for v in item.values if v is not None]
    svg = _Svg(
        chart_id, title, " ".join(p for p in (description, _summary(categories, series, fmt)) if p)
    )
    if not categories or not values:
        return _no_data(svg, "chart-bar")
    fills = _patterns(svg, len(series))
    if stacked:
        totals = [sum(item.values[i] or 0 for item in series) for i in range(len(categories))]
        peak = max(totals)
    else:
        peak = max(values)
    if max_value is not None and peak <= max_value * 1.02:
        peak = min(peak, max_value)  # shares rounded to one decimal may add up to 100.1
    top, step = nice_ceiling(max(peak, max_value or 0), whole=decimals == 0)
    _legend(
        svg,
        series,
        lambda index, x, y: (
            f'<rect x="{_num(x)}" y="{_num(y - 7)}" width="16" height="14" '
            f'fill="{fills[index]}" stroke="#1b1f24" stroke-width="1"/>'
        ),
    )
    _y_axis(svg, top, step, y_label, unit_formatter(unit, 0 if step >= 1 else 1))
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    plot_height = plot_bottom - svg.top
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    group_width = plot_width / len(categories)
    bars_per_group = 1 if stacked else len(series)
    bar_width = group_width * 0.78 / bars_per_group

    def fits(text: str) -> bool:  # about 6.5 px per character at the value font size
        return len(text) * 6.5 <= bar_width + (2 if stacked else 8)

    centres = []
    parts = ['<g class="chart-bars">']
    for cat_index, category in enumerate(categories):
        group_left = MARGIN_LEFT + group_width * cat_index + group_width * 0.11
        centres.append(MARGIN_LEFT + group_width * (cat_index + 0.5))
        base = 0.0
        for ser_index, item in enumerate(series):
            value = item.values[cat_index]
            if value is None:
                continue
            height = plot_height * value / top
            x = group_left + (0 if stacked else bar_width * ser_index)
            y = plot_bottom - height - (plot_height * base / top if stacked else 0)
            label = f"{item.label}, {category}: {fmt(value)}"
            parts.append(
                f'<rect class="chart-bar-rect" x="{_num(x)}" y="{_num(y)}" '
                f'width="{_num(bar_width)}" height="{_num(max(height, 0))}" '
                f'fill="{fills[ser_index]}" stroke="#1b1f24" stroke-width="0.75">'
                f"<title>{escape(label)}</title></rect>"
            )
            text = fmt(value)
            if stacked and value and height >= 15 and fits(text):
                parts.append(
                    f'<text class="chart-value chart-value-inside" '
                    f'x="{_num(x + bar_width / 2)}" y="{_num(y + height / 2 + 4)}" '
                    f'text-anchor="middle">{escape(text)}</text>'
                )
            elif not stacked and fits(text):
                parts.append(
                    f'<text class="chart-value" x="{_num(x + bar_width / 2)}" '
                    f'y="{_num(y - 4)}" text-anchor="middle">{escape(text)}</text>'
                )
            if stacked:
                base += value
    parts.append("</g>")
    _x_axis(svg, categories, centres, x_label)
    svg.add("".join(parts))
    return svg.render("chart-bar")


def line_chart(
    *,
    chart_id: str,
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    x_label: str,
    y_label: str,
    unit: str = "",
    max_value: float | None = None,
    decimals: int = 1,
) -> Chart:
    """Lines over categories (days, weeks): each series its own dash pattern and marker shape.

    A missing value (``None``, e.g. a closed day) breaks the line rather than
    drawing it down to zero.
    """
    fmt = unit_formatter(unit, decimals)
    values = [v for item in series for v in item.values if v is not None]
    svg = _Svg(
        chart_id, title, " ".join(p for p in (description, _summary(categories, series, fmt)) if p)
    )
    if not categories or not values:
        return _no_data(svg, "chart-line")
    peak = max(values)
    top, step = nice_ceiling(max(peak, max_value or 0), whole=decimals == 0)
    _legend(
        svg,
        series,
        lambda index, x, y: (
            f'<line x1="{_num(x - 2)}" x2="{_num(x + 18)}" y1="{_num(y)}" y2="{_num(y)}" '
            f'stroke="{COLOURS[index % len(COLOURS)]}" stroke-width="2.5"'
            + (f' stroke-dasharray="{DASHES[index % len(DASHES)]}"' if index % len(DASHES) else "")
            + "/>"
            + _marker(MARKERS[index % len(MARKERS)], x + 8, y, COLOURS[index % len(COLOURS)])
        ),
    )
    _y_axis(svg, top, step, y_label, unit_formatter(unit, 0 if step >= 1 else 1))
    plot_bottom = HEIGHT - MARGIN_BOTTOM
    plot_height = plot_bottom - svg.top
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    count = len(categories)
    if count == 1:
        xs = [MARGIN_LEFT + plot_width / 2]
    else:
        inset = 10.0
        xs = [
            MARGIN_LEFT + inset + (plot_width - 2 * inset) * i / (count - 1) for i in range(count)
        ]
    show_markers = count <= 62
    show_values = count <= 12 and len(series) <= 2
    parts = ['<g class="chart-lines">']
    for ser_index, item in enumerate(series):
        colour = COLOURS[ser_index % len(COLOURS)]
        dash = DASHES[ser_index % len(DASHES)]
        runs: list[list[tuple[float, float]]] = [[]]
        for x, value in zip(xs, item.values, strict=True):
            if value is None:
                if runs[-1]:
                    runs.append([])
                continue
            runs[-1].append((x, plot_bottom - plot_height * value / top))
        parts.append(f'<g class="chart-series chart-series-{ser_index}">')
        for run in runs:
            if len(run) >= 2:
                points = " ".join(f"{_num(x)},{_num(y)}" for x, y in run)
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2.5"'
                    + (f' stroke-dasharray="{dash}"' if dash else "")
                    + ' stroke-linejoin="round"/>'
                )
        for cat_index, (x, value) in enumerate(zip(xs, item.values, strict=True)):
            if value is None:
                continue
            y = plot_bottom - plot_height * value / top
            lonely = (cat_index == 0 or item.values[cat_index - 1] is None) and (
                cat_index == count - 1 or item.values[cat_index + 1] is None
            )
            if show_markers or lonely:
                parts.append(
                    f"<g><title>{escape(f'{item.label}, {categories[cat_index]}: {fmt(value)}')}"
                    f"</title>{_marker(MARKERS[ser_index % len(MARKERS)], x, y, colour)}</g>"
                )
            if show_values:
                offset = -9 if ser_index == 0 else 17
                parts.append(
                    f'<text class="chart-value" x="{_num(x)}" y="{_num(y + offset)}" '
                    f'text-anchor="middle">{escape(fmt(value))}</text>'
                )
        parts.append("</g>")
    parts.append("</g>")
    _x_axis(svg, categories, xs, x_label)
    svg.add("".join(parts))
    return svg.render("chart-line")
