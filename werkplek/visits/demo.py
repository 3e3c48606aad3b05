"""Field visits for the demo, around the moment it is loaded: one planned for the demo
employee an hour and a half later (after midnight when loaded late in the evening), two
under way, and one past its planned end without a check-out, which the overdue job turns
into an alert for the team lead and the safety board."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.people.models import Person
from werkplek.visits.models import FieldVisit, FieldVisitor, VisitStatus


@dataclass(frozen=True)
class DemoVisit:
    visitor: Person
    purpose: str
    area: str
    address: str  # invented, like every place in the demo
    starts_in: timedelta  # from the moment the demo is loaded; negative: started before
    length: timedelta
    arrived: bool


def demo_visits(
    employee: Person, colleagues: tuple[Person, Person], consultant: Person
) -> list[DemoVisit]:
    """The demo's visits: ``employee`` has one to go, the others are on location."""
    on_time, late = colleagues
    return [
        DemoVisit(
            employee,
            "Adresonderzoek BRP",
            "Marrewoude",
            "Kerkstraat 4, Marrewoude",
            timedelta(minutes=90),
            timedelta(hours=1),
            arrived=False,
        ),
        DemoVisit(
            on_time,
            "Adresonderzoek BRP",
            "Lutjeburen",
            "Molenweg 17, Lutjeburen",
            timedelta(minutes=-30),
            timedelta(minutes=75),
            arrived=True,
        ),
        DemoVisit(
            consultant,
            "Keukentafelgesprek WMO",
            "Ruigeveen",
            "Dijkstraat 9, Ruigeveen",
            timedelta(minutes=-45),
            timedelta(minutes=90),
            arrived=True,
        ),
        DemoVisit(
            late,
            "Adresonderzoek BRP",
            "Eekster",
            "Havenweg 2, Eekster",
            timedelta(minutes=-110),
            timedelta(minutes=80),
            arrived=True,
        ),
    ]


async def add_demo_visits(session: AsyncSession, now: datetime, visits: list[DemoVisit]) -> None:
    for visit in visits:
        start = now + visit.starts_in
        session.add(
            FieldVisit(
                area=visit.area,
                address=visit.address,
                purpose=visit.purpose,
                planned_start=start,
                planned_end=start + visit.length,
                status=(VisitStatus.CHECKED_IN if visit.arrived else VisitStatus.PLANNED).value,
                checked_in_at=start + timedelta(minutes=5) if visit.arrived else None,
                checked_in_by_id=visit.visitor.id if visit.arrived else None,
                created_by_id=visit.visitor.id,
                created_at=now - timedelta(days=1),
                updated_at=now,
                visitors=[FieldVisitor(person_id=visit.visitor.id, position=0)],
            )
        )
    await session.flush()
