from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.audit.models import AuditEvent
from werkplek.clock import Clock


async def record(
    session: AsyncSession,
    clock: Clock,
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | str,
    **details: Any,
) -> None:
    """Add an audit event to the current transaction (committed with the change)."""
    session.add(
        AuditEvent(
            at=clock.now(),
            actor_id=actor_id,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            details=details,
        )
    )
