"""Checks for the phone pattern of wide tables (class ``stack-on-phone``): on a phone each
row becomes a card, its first cell the card's heading and every other cell named by its
column in ``data-label``. ``stacked_table`` reads a page's table so a test can assert that."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Cell:
    tag: str
    attrs: dict[str, str | None]


@dataclass
class Table:
    classes: list[str]
    headers: list[str] = field(default_factory=list)  # the texts of the column headers
    rows: list[list[Cell]] = field(default_factory=list)  # the body rows, group rows too


class _TableReader(HTMLParser):
    def __init__(self, table_class: str) -> None:
        super().__init__()
        self.table_class = table_class
        self.table: Table | None = None
        self.depth = 0  # nesting of tables inside the one read
        self.done = False
        self.in_head = False
        self.header: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self.done:
            return
        values = dict(attrs)
        if tag == "table":
            if self.table is not None:
                self.depth += 1
            elif self.table_class in (values.get("class") or "").split():
                self.table = Table(classes=(values.get("class") or "").split())
            return
        if self.table is None or self.depth:
            return
        if tag == "thead":
            self.in_head = True
        elif tag == "tr" and not self.in_head:
            self.table.rows.append([])
        elif tag in ("td", "th"):
            if self.in_head:
                self.header = []
            elif self.table.rows:
                self.table.rows[-1].append(Cell(tag, values))

    def handle_endtag(self, tag: str) -> None:
        if self.table is None or self.done:
            return
        if tag == "table":
            if self.depth:
                self.depth -= 1
            else:
                self.done = True
        elif tag == "thead":
            self.in_head = False
        elif tag == "th" and self.header is not None:
            self.table.headers.append(" ".join("".join(self.header).split()))
            self.header = None

    def handle_data(self, data: str) -> None:
        if self.header is not None:
            self.header.append(data)


def stacked_table(html: str, table_class: str = "stack-on-phone") -> Table:
    """The first table with ``table_class`` in ``html``; fails when the page has none."""
    reader = _TableReader(table_class)
    reader.feed(html)
    assert reader.table is not None, f'no <table class="{table_class}"> on the page'
    return reader.table


def assert_stacks_on_phone(html: str, table_class: str = "stack-on-phone") -> Table:
    """The table stacks on a phone: class ``stack-on-phone``, and in every row of one cell
    per column the first cell (the card's heading) has no label and each other cell is
    labelled with its column's header. At least one such row must be on the page."""
    table = stacked_table(html, table_class)
    assert "stack-on-phone" in table.classes
    full_rows = [
        row
        for row in table.rows
        if len(row) == len(table.headers) and not any("colspan" in c.attrs for c in row)
    ]
    assert full_rows, "no row with a cell for every column"
    for row in full_rows:
        assert "data-label" not in row[0].attrs
        assert [cell.attrs.get("data-label") for cell in row[1:]] == table.headers[1:]
    return table
