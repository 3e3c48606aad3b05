"""What assistive technology needs of the presence pages: the KCC finder says what it
found in a live region that stays while its rows are replaced, a refused field carries
its message at the field (``aria-describedby``), and the team board scrolls in a
labelled region of its own instead of squeezing the page."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

from litestar import Litestar
from litestar.testing import AsyncTestClient

from tests.conftest import LoginAs, MakePerson, MakeTeam
from tests.presence.conftest import TODAY, AddTopics
from werkplek.people.models import Role

HTMX = {"HX-Request": "true"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    text: str = ""
    parents: list[str] = field(default_factory=list)  # the tags around it, outermost first


class _Reader(HTMLParser):
    """Every element with an id: its attributes, its text and what it sits in."""

    VOID = frozenset({"input", "br", "img", "meta", "link", "hr", "source", "col", "wbr"})

    def __init__(self) -> None:
        super().__init__()
        self.open: list[tuple[str, Element | None]] = []
        self.by_id: dict[str, Element] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        element = None
        if values.get("id"):
            element = Element(tag, values, parents=[name for name, _ in self.open])
            self.by_id[str(values["id"])] = element
        if tag not in self.VOID:
            self.open.append((tag, element))

    def handle_endtag(self, tag: str) -> None:
        while self.open:
            name, _element = self.open.pop()
            if name == tag:
                break

    def handle_data(self, data: str) -> None:
        for _name, element in self.open:
            if element is not None:
                element.text += data


def elements(html: str) -> dict[str, Element]:
    reader = _Reader()
    reader.feed(html)
    return reader.by_id


def described_by(element: Element) -> list[str]:
    return str(element.attrs.get("aria-describedby") or "").split()


def words(text: str) -> str:
    return " ".join(text.split())


# --- the KCC finder ------------------------------------------------------------------------


async def test_the_finder_says_how_many_it_found_in_a_live_region_outside_the_rows(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    add_topics: AddTopics,
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    for name in ("Sanne Paspoort", "Piet Paspoort"):
        await add_topics(await make_person(name), "paspoort")
    response = await client.get("/kcc", params={"q": "paspoort"})
    count = elements(response.text)["kcc-count"]
    assert count.attrs.get("role") == "status"
    assert "tbody" not in count.parents  # not replaced with the rows
    assert words(count.text) == "2 collega's gevonden."


async def test_each_search_puts_its_count_into_the_live_region_out_of_band(
    client: AsyncTestClient[Litestar],
    make_person: MakePerson,
    login_as: LoginAs,
    add_topics: AddTopics,
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    await add_topics(await make_person("Sanne Paspoort"), "paspoort")
    response = await client.get(
        "/kcc", params={"q": "paspoort"}, headers={**HTMX, "HX-Target": "kcc-results"}
    )
    assert response.text.strip().startswith("<tr")
    count = elements(response.text)["kcc-count"]
    assert count.attrs.get("hx-swap-oob") == "innerHTML"  # the region itself stays
    assert "template" in count.parents  # may stand among table rows
    assert words(count.text) == "1 collega gevonden."


async def test_the_live_region_says_when_nobody_is_found(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get(
        "/kcc", params={"q": "zzzq"}, headers={**HTMX, "HX-Target": "kcc-results"}
    )
    assert words(elements(response.text)["kcc-count"].text) == "Niemand gevonden voor ‘zzzq’."


async def test_the_live_region_is_there_but_silent_before_a_search(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.get("/kcc")
    assert words(elements(response.text)["kcc-count"].text) == ""


# --- the team board ------------------------------------------------------------------------


async def test_the_team_board_scrolls_in_a_labelled_keyboard_region(
    client: AsyncTestClient[Litestar],
    employee: dict[str, str],
    make_person: MakePerson,
    make_team: MakeTeam,
) -> None:
    team = await make_team("Vergunningen")
    await make_person("Fatima Yilmaz", teams=(team,))
    response = await client.get(f"/teams/{team.id}/board")
    found = elements(response.text)
    assert 'class="presence-board-wrap" tabindex="0" role="region"' in response.text
    assert 'aria-labelledby="board-caption"' in response.text
    assert found["board-caption"].tag == "caption"


# --- callback notes --------------------------------------------------------------------------


async def test_a_callback_number_with_letters_is_named_at_the_field(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(
        "/callback-notes",
        data={"person_id": str(colleague.id), "callback_number": "bel maar", "question": "Vraag"},
    )
    assert response.status_code == 422
    found = elements(response.text)
    number = found["callback_number"]
    assert number.attrs.get("aria-invalid") == "true"
    assert described_by(number) == ["callback_number-error"]
    message = words(found["callback_number-error"].text)
    assert message == (
        "Een terugbelnummer heeft minstens 10 cijfers en verder alleen spaties en + ( ) -,"
        " zoals 06 12345678."
    )
    assert "Deze waarde is niet geldig." not in response.text


async def test_a_callback_note_without_a_colleague_asks_to_choose_one(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(
        "/callback-notes",
        data={"person_id": "", "callback_number": "06 12345678", "question": "Vraag"},
    )
    assert response.status_code == 422
    assert words(elements(response.text)["person_id-error"].text) == "Kies een collega."


async def test_a_callback_number_too_short_is_named_at_the_field(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(
        "/callback-notes",
        data={"person_id": str(colleague.id), "callback_number": "06", "question": "Vraag"},
    )
    assert response.status_code == 422
    found = elements(response.text)
    assert described_by(found["callback_number"]) == ["callback_number-error"]
    assert "minstens 10 cijfers" in found["callback_number-error"].text


async def test_an_empty_question_is_named_at_the_field(
    client: AsyncTestClient[Litestar], make_person: MakePerson, login_as: LoginAs
) -> None:
    colleague = await make_person("Kees Jansen")
    await login_as(await make_person(roles=(Role.KCC,)))
    response = await client.post(
        "/callback-notes",
        data={"person_id": str(colleague.id), "callback_number": "06 12345678", "question": " "},
    )
    assert response.status_code == 422
    found = elements(response.text)
    assert described_by(found["question"]) == ["question-error"]
    assert found["question"].attrs.get("aria-invalid") == "true"


# --- my week: a refused day card -----------------------------------------------------------


async def test_refused_reachable_hours_are_described_by_their_error_and_the_hint(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    key = TODAY.isoformat()
    response = await client.post(
        f"/my-week/{key}",
        data={"reachable_from": "15:00", "reachable_until": "09:00"},
        headers=HTMX,
    )
    assert response.status_code == 422
    found = elements(response.text)
    until = found[f"reachable_until-{key}"]
    assert until.attrs.get("aria-invalid") == "true"
    assert described_by(until) == [f"reachable_until-{key}-error", f"hours-hint-{key}"]
    assert "voor" in found[f"reachable_until-{key}-error"].text
    assert described_by(found[f"reachable_from-{key}"]) == [f"hours-hint-{key}"]


async def test_an_area_too_long_is_refused_at_the_area(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    key = TODAY.isoformat()
    response = await client.post(
        f"/my-week/{key}", data={"morning": "on_location", "area": "x" * 121}, headers=HTMX
    )
    assert response.status_code == 422
    assert (
        words(elements(response.text)[f"area-{key}-error"].text) == "Vul hoogstens 120 tekens in."
    )


async def test_a_refused_area_is_described_by_its_error(
    client: AsyncTestClient[Litestar], employee: dict[str, str]
) -> None:
    key = TODAY.isoformat()
    response = await client.post(
        f"/my-week/{key}", data={"morning": "on_location", "area": ""}, headers=HTMX
    )
    assert response.status_code == 422
    found = elements(response.text)
    assert described_by(found[f"area-{key}"])[0] == f"area-{key}-error"
    assert found[f"area-{key}-error"].attrs.get("class") == "field-error"
