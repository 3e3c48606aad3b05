"""Server-rendered SVG charts: labelled, readable without colour, no inline styles."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import date

import pytest

from werkplek.analytics.charts import (
    Column,
    ColumnKind,
    Series,
    bar_chart,
    csv_cell,
    html_cell,
    line_chart,
    nice_ceiling,
)
from werkplek.i18n import DEFAULT_LANGUAGE, set_language

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(autouse=True)
def _language() -> Iterator[None]:
    yield
    set_language(DEFAULT_LANGUAGE)


def _bars(**overrides: object) -> str:
    arguments: dict[str, object] = {
        "chart_id": "c1",
        "title": "Desks per weekday",
        "description": "Bar chart.",
        "categories": ["Monday", "Tuesday"],
        "series": [Series("Booked", [50.0, 25.0]), Series("Checked in", [40.0, None])],
        "x_label": "Weekday",
        "y_label": "% of desks",
        "unit": "%",
        "max_value": 100,
    }
    arguments.update(overrides)
    return str(bar_chart(**arguments))  # type: ignore[arg-type]


def test_a_chart_is_an_image_labelled_by_its_title_and_description() -> None:
    root = ET.fromstring(_bars())

    assert (root.get("role"), root.get("aria-labelledby")) == ("img", "c1-title c1-desc")
    assert root.find(f"{SVG}title").text == "Desks per weekday"  # type: ignore[union-attr]
    assert root.find(f"{SVG}title").get("id") == "c1-title"  # type: ignore[union-attr]


def test_the_description_names_the_highest_and_lowest_values() -> None:
    set_language("en")
    desc = ET.fromstring(_bars()).find(f"{SVG}desc").text  # type: ignore[union-attr]

    assert desc == (
        "Bar chart. Booked: highest 50% (Monday), lowest 25% (Tuesday). "
        "Checked in: highest 40% (Monday), lowest 40% (Monday)."
    )


def test_bars_carry_their_values_as_text() -> None:
    set_language("en")
    texts = [t.text for t in ET.fromstring(_bars()).iter(f"{SVG}text")]

    assert {"50%", "25%", "40%"} <= set(texts)


def test_bar_values_are_percentages_dutch_style_in_dutch() -> None:
    set_language("nl")
    texts = [t.text for t in ET.fromstring(_bars()).iter(f"{SVG}text")]

    assert {"50\u00a0%", "25\u00a0%", "40\u00a0%"} <= set(texts)


def test_the_second_series_is_told_apart_by_a_pattern_not_only_colour() -> None:
    svg = _bars()

    assert 'fill="url(#c1-fill-1)"' in svg and '<pattern id="c1-fill-1"' in svg


def test_charts_have_axis_titles() -> None:
    texts = [t.text for t in ET.fromstring(_bars()).iter(f"{SVG}text")]

    assert "Weekday" in texts and "% of desks" in texts


def test_charts_use_no_inline_styles() -> None:
    line = str(
        line_chart(
            chart_id="l1",
            title="Per day",
            description="",
            categories=["01-11", "02-11", "03-11"],
            series=[Series("Booked", [10.0, None, 30.0]), Series("Checked in", [5.0, 6.0, 7.0])],
            x_label="Date",
            y_label="%",
        )
    )

    assert "style=" not in _bars() + line and "<script" not in _bars() + line


def test_a_missing_value_breaks_the_line_instead_of_dropping_to_zero() -> None:
    root = ET.fromstring(
        str(
            line_chart(
                chart_id="l1",
                title="Per day",
                description="",
                categories=["a", "b", "c", "d"],
                series=[Series("Booked", [10.0, 20.0, None, 30.0])],
                x_label="Date",
                y_label="%",
            )
        )
    )

    lines = list(root.iter(f"{SVG}polyline"))
    assert [len(line.get("points", "").split()) for line in lines] == [2]


def test_each_line_series_has_its_own_marker_shape() -> None:
    svg = str(
        line_chart(
            chart_id="l2",
            title="t",
            description="",
            categories=["a", "b"],
            series=[Series("Booked", [1.0, 2.0]), Series("Checked in", [1.0, 1.5])],
            x_label="x",
            y_label="y",
        )
    )

    assert "<circle" in svg and "<rect" in svg and 'stroke-dasharray="8 4"' in svg


def test_text_in_a_chart_is_escaped() -> None:
    svg = _bars(title="Rooms <b>& more</b>")

    assert "Rooms &lt;b&gt;&amp; more&lt;/b&gt;" in svg


def test_a_chart_without_data_says_so() -> None:
    set_language("en")
    svg = _bars(categories=[], series=[Series("Booked", [])])

    assert "No data for this selection." in svg and 'role="img"' in svg


def test_the_axis_ends_on_a_round_number() -> None:
    assert [nice_ceiling(v) for v in (7, 83, 100, 0.4)] == [
        (8, 2),
        (100, 20),
        (100, 20),
        (0.4, 0.1),
    ]


def test_an_axis_of_counts_steps_by_whole_numbers() -> None:
    assert [nice_ceiling(v, whole=True) for v in (2, 12, 34, 0)] == [
        (2, 1),
        (15, 5),
        (40, 10),
        (1, 1),
    ]


def test_a_date_in_a_report_table_is_written_as_the_pages_write_dates() -> None:
    assert html_cell(date(2026, 11, 9), Column("week_start", "Week", ColumnKind.DATE)) == (
        "09-11-2026"
    )


def test_a_week_in_a_report_table_is_named_as_its_chart_names_it() -> None:
    set_language("nl")

    assert html_cell(date(2026, 11, 16), Column("week", "Week", ColumnKind.WEEK)) == "wk 47"


def test_a_week_in_a_csv_file_is_an_iso_week() -> None:
    assert csv_cell(date(2026, 12, 28), Column("week", "Week", ColumnKind.WEEK)) == "2026-W53"


def test_a_date_in_a_csv_file_stays_iso() -> None:
    assert csv_cell(date(2026, 11, 9), Column("week_start", "Week", ColumnKind.DATE)) == (
        "2026-11-09"
    )


def test_numbers_in_tables_follow_the_page_language() -> None:
    column = Column("p", "Booked", ColumnKind.PERCENT)

    set_language("nl")
    dutch = html_cell(1234.56, column)
    set_language("en")
    english = html_cell(1234.56, column)

    assert (dutch, english) == ("1.234,6\u00a0%", "1,234.6%")


def test_a_stacked_chart_stacks_segments_on_one_bar_per_category() -> None:
    svg = _bars(stacked=True, series=[Series("Office", [60.0, 50.0]), Series("Home", [40.0, 50.0])])

    heights = [float(h) for h in re.findall(r'class="chart-bar-rect"[^>]* height="([0-9.]+)"', svg)]
    assert len(heights) == 4 and abs(heights[0] + heights[1] - heights[2] - heights[3]) < 0.2
