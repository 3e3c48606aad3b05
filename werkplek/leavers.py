"""A person who is deactivated (they left): what acts for them stops.

``people`` signs them out and revokes their API tokens itself; the desks and rooms held
for them (``bookings``) and the calendar feeds they subscribed to (``feeds``) belong to
domains that build on ``people``, so this module, above all three, does the rest. The
people page and API call ``update_person`` here instead of ``people.services``, and the
people import's command calls ``let_go`` for those it deactivated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.models import Booking
from werkplek.bookings.services import cancel_bookings_of_leavers
from werkplek.clock import Clock
from werkplek.feeds.services import revoke_tokens_of_leavers
from werkplek.people import services as people
from werkplek.people.models import Person
from werkplek.people.schemas import PersonUpdate
from werkplek.people.services import CurrentUser


@dataclass
class PersonChange:
    person: Person
    deactivated: bool = False
    cancelled: list[Booking] = field(default_factory=list)


async def let_go(
    session: AsyncSession,
    clock: Clock,
    person_ids: Sequence[int],
    *,
    actor_id: int | None,
    dry_run: bool = False,
) -> list[Booking]:
    """Cancel the bookings of people just deactivated that have not started and revoke
    their feed tokens; returns the bookings (on a dry run: would cancel, and nothing is
    revoked). Reactivating them later brings none of it back."""
    cancelled = await cancel_bookings_of_leavers(
        session, clock, person_ids, dry_run=dry_run, actor_id=actor_id
    )
    if not dry_run:
        await revoke_tokens_of_leavers(session, clock, person_ids, actor_id=actor_id)
    return cancelled


async def update_person(
    session: AsyncSession,
    clock: Clock,
    actor: CurrentUser,
    person_id: int,
    data: PersonUpdate,
) -> PersonChange:
    """``people.services.update_person``; when the change deactivates the person,
    ``let_go`` in the same transaction, as the people import does."""
    was_active = (await people.get_person(session, person_id)).active
    person = await people.update_person(session, clock, actor, person_id, data)
    if not (was_active and not person.active):
        return PersonChange(person)
    cancelled = await let_go(session, clock, [person.id], actor_id=actor.id)
    return PersonChange(person, deactivated=True, cancelled=cancelled)
