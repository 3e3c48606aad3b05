"""A person with data in every table that points at people, built in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from tests.conftest import DEFAULT_NOW
from werkplek.audit.models import AuditEvent
from werkplek.bookings.models import Booking, BookingSeries
from werkplek.feeds.models import FeedToken
from werkplek.people.models import (
    ApiToken,
    LoginAttempt,
    LoginSession,
    Person,
    PersonRole,
    PersonTopic,
    Role,
    Team,
    TeamMembership,
)
from werkplek.presence.models import CallbackNote, DayReachability, WeeklyPattern, WorkLocation
from werkplek.rooms.models import Site, Space
from werkplek.visits.models import FieldVisit, FieldVisitor, VisitAlert, VisitSafetyContact

NOW = DEFAULT_NOW
TODAY = date(2026, 11, 25)


@dataclass
class Life:
    """Anna's data everywhere; Bram (a colleague) and an admin around her."""

    anna: Person
    bram: Person
    admin: Person
    booking: Booking
    solo_visit: FieldVisit  # Anna alone, at a resident's address
    shared_visit: FieldVisit  # Anna and Bram


def _person(name: str, email: str, *roles: Role) -> Person:
    person = Person(email=email, name=name, created_at=NOW, language="nl", active=True)
    person.roles = [PersonRole(role=role.value) for role in roles]
    return person


def _visit(address: str, visitors: list[Person], creator: Person, start: datetime) -> FieldVisit:
    visit = FieldVisit(
        area="Dorp",
        address=address,
        purpose="Huisbezoek",
        planned_start=start,
        planned_end=start + timedelta(hours=1),
        created_by_id=creator.id,
        created_at=NOW,
        updated_at=NOW,
    )
    visit.visitors = [FieldVisitor(person_id=p.id, position=i) for i, p in enumerate(visitors)]
    return visit


@pytest.fixture
async def life(db: AsyncSession) -> Life:
    return await build_life(db)


async def build_life(db: AsyncSession) -> Life:
    """Also used by the authorisation matrix (other people's objects)."""
    team = Team(name="Wijkteam", description="")
    site = Site(name="Stadskantoor", kind="central_office")
    db.add_all([team, site])
    await db.flush()
    anna = _person("Anna de Vries", "anna@example.nl", Role.TEAMLEAD)
    anna.topics = [PersonTopic(topic="paspoort")]
    anna.memberships = [TeamMembership(team_id=team.id, is_lead=True)]
    bram = _person("Bram Bakker", "bram@example.nl", Role.KCC)
    admin = _person("Ada Admin", "ada@example.nl", Role.ADMIN)
    db.add_all([anna, bram, admin])
    await db.flush()
    anna.backup_id = bram.id
    bram.backup_id = anna.id
    space = Space(site_id=site.id, name="Flexplek 1", kind="desk")
    series = BookingSeries(
        created_by_id=anna.id, weekdays="0", first_date=TODAY, until=TODAY, created_at=NOW
    )
    db.add_all([space, series])
    await db.flush()
    start = datetime(2026, 11, 26, 8, 0, tzinfo=UTC)
    booking = Booking(
        space_id=space.id,
        site_id=site.id,
        is_desk=True,
        booked_for_id=anna.id,
        booked_by_id=anna.id,
        start_at=start,
        end_at=start + timedelta(hours=4),
        day_part="morning",
        title="Anna's desk",
        series_id=series.id,
        decided_by_id=admin.id,
        created_at=NOW,
        updated_at=NOW,
    )
    solo = _visit("Dorpsstraat 1", [anna], anna, NOW - timedelta(days=3))
    shared = _visit("Kerkweg 2", [anna, bram], bram, NOW - timedelta(days=2))
    solo.status = shared.status = "checked_out"
    solo.checked_in_by_id = solo.checked_out_by_id = anna.id
    solo.checked_in_at, solo.checked_out_at = solo.planned_start, solo.planned_end
    db.add_all([booking, solo, shared])
    await db.flush()
    db.add_all(
        [
            WorkLocation(
                person_id=anna.id,
                date=TODAY,
                day_part="morning",
                kind="home",
                updated_by_id=anna.id,
                updated_at=NOW,
            ),
            DayReachability(person_id=anna.id, date=TODAY, backup_id=bram.id, updated_at=NOW),
            WeeklyPattern(person_id=anna.id, weekday=0, morning_kind="home"),
            CallbackNote(
                person_id=anna.id,
                created_by_id=bram.id,
                resident_name="Mevrouw Jansen",
                callback_number="0612345678",
                question="Over de vergunning",
                created_at=NOW,
            ),
            CallbackNote(
                person_id=bram.id,
                created_by_id=anna.id,
                callback_number="0687654321",
                question="Terugbellen",
                created_at=NOW,
                done_by_id=anna.id,
                done_at=NOW,
            ),
            ApiToken(person_id=anna.id, name="script", token_hash="a" * 64, created_at=NOW),
            LoginSession(
                person_id=anna.id,
                token_hash="b" * 64,
                csrf_token="c" * 32,
                created_at=NOW,
                expires_at=NOW + timedelta(hours=8),
            ),
            LoginAttempt(email=anna.email, address="127.0.0.1", at=NOW),
            FeedToken(
                created_by_id=anna.id,
                scope="person",
                scope_id=anna.id,
                token_hash="d" * 64,
                created_at=NOW,
            ),
            VisitSafetyContact(team_id=team.id, person_id=anna.id),
            VisitAlert(
                visit_id=shared.id,
                level=1,
                due_end=shared.planned_end,
                raised_at=NOW,
                acknowledged_by_id=anna.id,
                acknowledged_at=NOW,
            ),
            AuditEvent(
                at=NOW - timedelta(days=1),
                actor_id=bram.id,
                action="view_address",
                object_type="field_visit",
                object_id=str(solo.id),
                details={},
            ),
            AuditEvent(
                at=NOW,
                actor_id=admin.id,
                action="update",
                object_type="person",
                object_id=str(anna.id),
                details={"email": anna.email},
            ),
            AuditEvent(
                at=NOW,
                actor_id=anna.id,
                action="create",
                object_type="booking",
                object_id=str(booking.id),
                details={},
            ),
        ]
    )
    await db.commit()
    return Life(anna, bram, admin, booking, solo, shared)


async def add_event(
    db: AsyncSession,
    actor: Person,
    action: str,
    object_type: str,
    object_id: int,
    **details: object,
) -> int:
    """An audit event by ``actor``, committed; returns its id."""
    event = AuditEvent(
        at=NOW,
        actor_id=actor.id,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        details=details,
    )
    db.add(event)
    await db.commit()
    return event.id
