"""The audit log page names actions and objects in the reader's language."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import DEFAULT_NOW, LoginAs, MakePerson
from werkplek.audit.labels import ACTIONS, DETAIL_CODES, DETAILS, HISTORY, OBJECTS
from werkplek.audit.models import AuditEvent
from werkplek.audit.services import BELONGING
from werkplek.people.models import Role
from werkplek.rooms.schemas import SiteOut, SpaceOut

SOURCES = Path(__file__).resolve().parents[2] / "werkplek"
# action="create", action="approve" if approve else "decline", object_type="booking",
# and the field visits' OBJECT_TYPE = "field_visit".
ACTION_CODES = re.compile(r'action="([a-z_]+)"(?: if [^\n]+ else "([a-z_]+)")?')
OBJECT_CODES = re.compile(r'(?:object_type=|OBJECT_TYPE = )"([a-z_]+)"')
# The command line's argparse options take an action= too.
ARGPARSE_ACTIONS = {"store", "store_true", "store_false", "append", "count"}


def _codes(pattern: re.Pattern[str]) -> set[str]:
    found: set[str] = set()
    for source in SOURCES.rglob("*.py"):
        for match in pattern.finditer(source.read_text(encoding="utf-8")):
            found.update(code for code in match.groups() if code)
    return found


# record(session, clock, actor_id=..., action=..., object_type=..., object_id=..., **details)
RECORD_ARGUMENTS = {"actor_id", "action", "object_type", "object_id"}


def _detail_keys() -> set[str]:
    """The keyword arguments of every ``record(...)`` call beyond the event's own fields.

    A ``**details`` argument (the login's method) is skipped: its keys are literal elsewhere.
    """
    found: set[str] = set()
    for source in SOURCES.rglob("*.py"):
        for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record":
                found.update(
                    keyword.arg
                    for keyword in node.keywords
                    if keyword.arg is not None and keyword.arg not in RECORD_ARGUMENTS
                )
    return found


async def _page_with(
    client: AsyncTestClient[Litestar],
    db: AsyncSession,
    make_person: MakePerson,
    login_as: LoginAs,
    action: str,
    object_type: str,
) -> str:
    admin = await make_person("Ada", roles=(Role.ADMIN,))
    db.add(
        AuditEvent(
            at=DEFAULT_NOW,
            actor_id=admin.id,
            action=action,
            object_type=object_type,
            object_id="7",
            details={},
        )
    )
    await db.commit()
    await login_as(admin)
    return (await client.get("/admin/audit")).text


def test_every_audited_action_has_a_label() -> None:
    assert _codes(ACTION_CODES) - ARGPARSE_ACTIONS - ACTIONS.keys() == set()


def test_every_audited_object_has_a_label() -> None:
    assert _codes(OBJECT_CODES) - OBJECTS.keys() == set()


def test_every_recorded_detail_has_a_label() -> None:
    assert _detail_keys() - DETAILS.keys() == set()


async def test_the_page_names_the_action_and_object_in_dutch(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    page = await _page_with(client, db, make_person, login_as, "view_address", "field_visit")

    assert '<td data-label="Actie">Adres bekeken</td>' in page
    assert '<td data-label="Object">Veldbezoek 7</td>' in page


async def test_an_unknown_code_shows_as_it_is(
    client: AsyncTestClient[Litestar], db: AsyncSession, make_person: MakePerson, login_as: LoginAs
) -> None:
    page = await _page_with(client, db, make_person, login_as, "teleport", "spaceship")

    assert '<td data-label="Actie">teleport</td>' in page
    assert '<td data-label="Object">spaceship 7</td>' in page


def test_every_field_a_site_or_space_change_can_name_has_a_label() -> None:
    # id, timezone and site_id never change: the site keeps its zone, a space its site.
    fixed = {"id", "timezone", "site_id"}
    changeable = {*SiteOut.__struct_fields__, *SpaceOut.__struct_fields__} - fixed

    assert sorted(changeable - DETAIL_CODES.keys()) == []


def test_the_history_of_every_kind_that_holds_what_belongs_to_it_says_what() -> None:
    assert set(HISTORY) == set(BELONGING)
