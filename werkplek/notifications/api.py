"""JSON API: /api/me/notifications, which kinds of e-mail I receive; /api/mail, the
outbox for administrators."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, get, post, put
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK

from werkplek.notifications import services
from werkplek.notifications.models import MailKind, MailStatus
from werkplek.notifications.schemas import (
    MailPreferencesIn,
    MailPreferencesOut,
    OutboxFilter,
    OutboxMailOut,
    OutboxPage,
)
from werkplek.openapi import conflict
from werkplek.people.models import Role
from werkplek.web import ClockDep, DbDep, UserDep, login_required, provide_user, role_required


class MailPreferencesController(Controller):
    path = "/api/me/notifications"
    tags = ["notifications"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="Which kinds of e-mail I receive")
    async def get_preferences(self, db: DbDep, user: UserDep) -> MailPreferencesOut:
        return await services.get_preferences(db, user)

    @put(
        "/",
        summary="Switch kinds of e-mail on or off",
        description=(
            "Kinds left out stay as they are. Field visit alerts (`visit_alert`) cannot be "
            "switched off: `false` is refused with 422."
        ),
    )
    async def set_preferences(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[MailPreferencesIn]
    ) -> MailPreferencesOut:
        return await services.set_preferences(db, clock, user, data)


class OutboxController(Controller):
    path = "/api/mail"
    tags = ["notifications"]
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/",
        summary="E-mail in the outbox, newest first; filter by status, kind and text (admin)",
        description=(
            "Subjects and recipients only: bodies and attachments may hold personal data and "
            "are never shown. `counts` gives how many messages have each status under the "
            "other filters (`kind`, `q`). `next_attempt_at` only while a message waits; "
            "`subject` is empty while a message written when it is sent still waits for "
            "its first attempt. Messages are kept 30 days after they were queued."
        ),
    )
    async def list_mail(
        self,
        db: DbDep,
        user: UserDep,
        status: Annotated[
            MailStatus | None,
            QueryParameter(
                description="Only the messages with this status: `pending` (waiting for an "
                "attempt), `sending`, `sent`, `failed` (given up) or `cancelled`."
            ),
        ] = None,
        kind: Annotated[
            MailKind | None, QueryParameter(description="Only the messages of this kind.")
        ] = None,
        q: Annotated[
            str | None,
            QueryParameter(
                max_length=200,
                description="Only the messages with this text in a recipient's address or "
                "the subject, whatever the case (at most 200 characters).",
            ),
        ] = None,
        limit: Annotated[
            int,
            QueryParameter(
                ge=1, le=500, description="At most this many messages, 1 to 500, newest first."
            ),
        ] = 50,
        offset: Annotated[
            int, QueryParameter(ge=0, description="Skip this many messages first, for paging.")
        ] = 0,
    ) -> OutboxPage:
        filters = OutboxFilter(status=status, kind=kind, q=q, limit=limit, offset=offset)
        return await services.list_outbox(db, user, filters)

    @post(
        "/{mail_id:int}/retry",
        status_code=HTTP_200_OK,
        summary="Try a message that could not be sent again (admin)",
        description=(
            "Back in the queue, due now, with a new round of attempts (`attempts` starts "
            "from 0 again, and so does the backoff). Audited. A booking confirmation none "
            "of whose bookings is still active (all cancelled, released, declined or lapsed "
            "since) is refused rather than sent as it was written: cancel it instead."
        ),
        responses=conflict(
            "The message was not given up on (`mail_not_failed`), or is a booking "
            "confirmation with nothing left to confirm (`nothing_to_confirm`, its bookings "
            "in `details.booking_ids`)."
        ),
    )
    async def retry_mail(
        self, db: DbDep, clock: ClockDep, user: UserDep, mail_id: FromPath[int]
    ) -> OutboxMailOut:
        return await services.retry_mail(db, clock, user, mail_id)

    @post(
        "/{mail_id:int}/cancel",
        status_code=HTTP_200_OK,
        summary="Cancel a message waiting to be sent, or one that could not be sent (admin)",
        description=(
            "A `pending` message is not sent; a `failed` one can no longer be tried again. "
            "One being sent right now cannot be called back. Audited."
        ),
        responses=conflict(
            "The message is neither waiting nor given up on (`mail_not_cancellable`)."
        ),
    )
    async def cancel_mail(
        self, db: DbDep, clock: ClockDep, user: UserDep, mail_id: FromPath[int]
    ) -> OutboxMailOut:
        return await services.cancel_queued_mail(db, clock, user, mail_id)


ROUTES = [MailPreferencesController, OutboxController]
