"""A person who is deactivated (they left) frees the desks and rooms held for them.

Bookings depend on people, not the other way round, so the people page and API
import this module inside their handlers, as the people import's CLI does with
``cancel_bookings_of_leavers``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.models import Booking
from werkplek.bookings.services import cancel_bookings_of_leavers
from werkplek.clock import Clock
from werkplek.people import services as people
from werkplek.people.models import Person
from werkplek.people.schemas import PersonUpdate
from werkplek.people.services import CurrentUser


@dataclass
class PersonChange:
    person: Person
    deactivated: bool = False
    cancelled: list[Booking] = field(default_factory=list)


async def update_person(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    person_id: int,
    data: PersonUpdate,
) -> PersonChange:
    """``people.services.update_person``; when the change deactivates the person, their
    bookings that have not started are cancelled in the same transaction, as the people
    import does. Reactivating them later brings none of those back.
    """
    was_active = (await people.get_person(session, person_id)).active
    person = await people.update_person(session, clock, actor, person_id, data)
    if not (was_active and not person.active):
        return PersonChange(person)
    cancelled = await cancel_bookings_of_leavers(session, clock, [person.id], actor_id=actor.id)
    return PersonChange(person, deactivated=True, cancelled=cancelled)
