"""Field visit fixtures: a team with a lead, visitors, a planned visit, a local SMTP server.

The clock stands at Wednesday 25 November 2026, 10:00 in Amsterdam. The standard visit
runs 10:30–11:30; with the default grace (15) and escalation (30) minutes its alert is
due at 11:45 and its escalation at 12:15.
"""

from __future__ import annotations

import socket
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope, Session
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import LoginAs
from werkplek.audit.models import AuditEvent
from werkplek.bookings.models import Booking
from werkplek.clock import AMSTERDAM, FixedClock
from werkplek.config import Settings
from werkplek.people.models import Person, PersonRole, Role, Team, TeamMembership
from werkplek.people.services import CurrentUser, current_user_for
from werkplek.rooms.models import Site, Space
from werkplek.visits import services
from werkplek.visits.models import FieldVisit, VisitAlert
from werkplek.visits.schemas import VisitIn, VisitOut


def at(hour: int, minute: int = 0, day: int = 25) -> datetime:
    """An instant on a November 2026 day, given in Amsterdam time."""
    return datetime(2026, 11, day, hour, minute, tzinfo=AMSTERDAM).astimezone(UTC)


def user(person: Person) -> CurrentUser:
    return current_user_for(person)


@dataclass
class Crew:
    """Team Wijkteam with its lead, two field workers; a KCC agent and an outsider."""

    team: Team
    lead: Person
    anna: Person
    bram: Person
    kcc: Person
    outsider: Person
    admin: Person


def _person(
    name: str,
    email: str,
    now: datetime,
    *,
    roles: tuple[Role, ...] = (),
    team: Team | None = None,
    lead: bool = False,
    **fields: Any,
) -> Person:
    person = Person(email=email, name=name, created_at=now, language="nl", active=True, **fields)
    person.roles = [PersonRole(role=role.value) for role in roles]
    if team is not None:
        person.memberships = [TeamMembership(team_id=team.id, is_lead=lead)]
    return person


@pytest.fixture
async def crew(db: AsyncSession, clock: FixedClock) -> Crew:
    """Created in one transaction (seven people with a commit each would slow every test)."""
    team = Team(name="Wijkteam", description="")
    other = Team(name="Burgerzaken", description="")
    db.add_all([team, other])
    await db.flush()
    now = clock.now()
    crew = Crew(
        team=team,
        lead=_person(
            "Lotte Leider", "lotte@example.nl", now, roles=(Role.TEAMLEAD,), team=team, lead=True
        ),
        anna=_person("Anna Veld", "anna@example.nl", now, team=team, mobile="06 1234 5678"),
        bram=_person("Bram Buiten", "bram@example.nl", now, team=team),
        kcc=_person("Karin KCC", "karin@example.nl", now, roles=(Role.KCC,)),
        outsider=_person("Otto Ander", "otto@example.nl", now, team=other),
        admin=_person("Ada Admin", "ada@example.nl", now, roles=(Role.ADMIN,)),
    )
    db.add_all([crew.lead, crew.anna, crew.bram, crew.kcc, crew.outsider, crew.admin])
    await db.commit()
    return crew


def visit_in(visitors: list[Person], **changes: Any) -> VisitIn:
    values: dict[str, Any] = {
        "visitor_ids": [p.id for p in visitors],
        "start": at(10, 30),
        "end": at(11, 30),
        "area": "Marum",
        "address": "Molenweg 12, 9363 AB Marum",
        "purpose": "Keukentafelgesprek Wmo",
    }
    values.update(changes)
    return VisitIn(**as_text(values))


def as_text(values: dict[str, Any]) -> dict[str, Any]:
    """A visit's fields with its start and end as the API takes them: ISO 8601 text."""
    return {
        key: value.isoformat() if isinstance(value, datetime) else value
        for key, value in values.items()
    }


PlanVisit = Callable[..., Awaitable[VisitOut]]


@pytest.fixture
def plan(db: AsyncSession, clock: FixedClock, settings: Settings) -> PlanVisit:
    """Plan a visit through the service (as its first visitor) and commit it."""

    async def make(visitors: list[Person], **changes: Any) -> VisitOut:
        await db.commit()  # a write transaction starts with the service's own lock
        out = await services.plan_visit(
            db, clock, settings, user(visitors[0]), visit_in(visitors, **changes)
        )
        await db.commit()
        return out

    return make


@pytest.fixture
async def annas_visit(crew: Crew, plan: PlanVisit, login_as: LoginAs) -> VisitOut:
    """Anna's visit today 10:30-11:30, planned by her; she is logged in."""
    visit = await plan([crew.anna])
    await login_as(crew.anna)
    return visit


RunJob = Callable[[], Awaitable[list[VisitAlert]]]


@pytest.fixture
def raise_alerts(db: AsyncSession, clock: FixedClock, settings: Settings) -> RunJob:
    """One run of the alert step of the overdue job, committed."""

    async def run() -> list[VisitAlert]:
        await db.commit()
        raised = await services.raise_overdue_alerts(db, clock, settings)
        await db.commit()
        return raised

    return run


@dataclass
class Overdue:
    visit: VisitOut
    alert: VisitAlert


@pytest.fixture
async def overdue(crew: Crew, clock: FixedClock, plan: PlanVisit, raise_alerts: RunJob) -> Overdue:
    """Anna's visit (10:30-11:30), not checked out at 11:45, and the alert it raised."""
    visit = await plan([crew.anna])
    clock.set(at(11, 45))
    (alert,) = await raise_alerts()
    return Overdue(visit, alert)


async def resident_room_booking(
    db: AsyncSession, clock: FixedClock, person_id: int, kind: str = "resident_room"
) -> Booking:
    """A booking of a resident room (or a space of another ``kind``) today 10:30-11:30,
    made by and for ``person_id``, committed."""
    site = Site(name="Dorpshuis De Tille", kind="community_venue", city="Marum")
    db.add(site)
    await db.flush()
    space = Space(site_id=site.id, name="Spreekkamer 1", kind=kind)
    db.add(space)
    await db.flush()
    booking = Booking(
        space_id=space.id,
        site_id=site.id,
        is_desk=kind in ("desk", "quiet_desk"),
        booked_for_id=person_id,
        booked_by_id=person_id,
        start_at=at(10, 30),
        end_at=at(11, 30),
        status="confirmed",
        created_at=clock.now(),
        updated_at=clock.now(),
    )
    db.add(booking)
    await db.commit()
    return booking


async def alerts_of(db: AsyncSession, visit_id: int) -> list[VisitAlert]:
    await db.rollback()
    rows = await db.execute(
        select(VisitAlert).where(VisitAlert.visit_id == visit_id).order_by(VisitAlert.id)
    )
    found = list(rows.scalars())
    await db.commit()  # end the read: the next write starts a transaction of its own
    return found


async def stored_visit(db: AsyncSession, visit_id: int) -> FieldVisit:
    await db.rollback()
    visit = await db.get(FieldVisit, visit_id, populate_existing=True)
    assert visit is not None
    await db.commit()
    return visit


async def audit_actions(db: AsyncSession, visit_id: int) -> list[tuple[str, int | None]]:
    await db.rollback()
    rows = await db.execute(
        select(AuditEvent.action, AuditEvent.actor_id)
        .where(AuditEvent.object_type == "field_visit", AuditEvent.object_id == str(visit_id))
        .order_by(AuditEvent.id)
    )
    found = [(action, actor) for action, actor in rows]
    await db.commit()
    return found


async def count_visits(db: AsyncSession) -> int:
    await db.rollback()
    found = len((await db.execute(select(FieldVisit.id))).all())
    await db.commit()
    return found


# --- a real SMTP server on 127.0.0.1 ------------------------------------------------------


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes


@dataclass
class Inbox:
    host: str
    port: int
    messages: list[Received] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        self.messages.append(
            Received(str(envelope.mail_from), [str(r) for r in envelope.rcpt_tos], content)
        )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    inbox = Inbox(host="127.0.0.1", port=free_port())
    controller = Controller(inbox, hostname=inbox.host, port=inbox.port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


@pytest.fixture
def mail_settings(settings: Settings, smtp_server: Inbox) -> Settings:
    return settings.with_changes(
        smtp_host=smtp_server.host,
        smtp_port=smtp_server.port,
        smtp_starttls=False,
        smtp_from="werkplek@gemeente.example.nl",
        public_url="https://werkplek.gemeente.example.nl",
    )


def later(clock: FixedClock, hour: int, minute: int = 0) -> None:
    clock.set(at(hour, minute))


ONE_MINUTE = timedelta(minutes=1)
