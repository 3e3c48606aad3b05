"""Reads a page's elements for attributes written twice. A browser keeps only the first of
them, so a field given ``aria-describedby`` for its hint and again for its error is never
described by its error."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.twice: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        counts = Counter(name for name, _ in attrs)
        element = f"<{tag} id={dict(attrs).get('id')!r}>"
        self.twice += [f"{element} {name}" for name, count in counts.items() if count > 1]


def duplicated_attributes(html: str) -> list[str]:
    """Each element of ``html`` with an attribute written twice, with that attribute."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.twice
