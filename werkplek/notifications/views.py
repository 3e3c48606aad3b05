"""The "Meldingen" page: which kinds of e-mail I receive; the "Uitgaande e-mail" page:
the outbox for administrators."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.clock import Clock
from werkplek.errors import DomainError
from werkplek.i18n import N_, _
from werkplek.notifications import services
from werkplek.notifications.models import MANDATORY_KINDS, MailKind, MailStatus
from werkplek.notifications.schemas import MailPreferencesIn, OutboxFilter, OutboxMailOut
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    UserDep,
    convert_form,
    login_required,
    page,
    page_links,
    provide_user,
    read_form,
    role_required,
)

#: Each kind on the page: its name and when it comes.
KIND_TEXTS: dict[MailKind, tuple[str, str]] = {
    MailKind.BOOKING_CONFIRMED: (
        N_("Booking confirmations"),
        N_(
            "When you (or someone for you) book a space, or you move your desk; with the "
            "invitation for your calendar."
        ),
    ),
    MailKind.BOOKING_CANCELLED: (
        N_("Cancellations"),
        N_(
            "When one of your bookings is cancelled or someone else moves it, or facilities "
            "check you out."
        ),
    ),
    MailKind.APPROVAL_REQUEST: (
        N_("Approval requests"),
        N_("For facilities: a booking of a room that needs approval waits for you."),
    ),
    MailKind.APPROVAL_DECISION: (
        N_("Approval decisions"),
        N_(
            "When facilities approve or decline your request, or it lapses because nobody "
            "decided in time."
        ),
    ),
    MailKind.NO_SHOW_WARNING: (
        N_("Check-in reminders"),
        N_("Shortly before a booking you have not checked in to is released."),
    ),
    MailKind.MEETING_INVITATION: (
        N_("Meeting invitations"),
        N_(
            "When a colleague invites you to a meeting in a room they booked, changes it, "
            "cancels it or takes you off it; with the invitation for your calendar."
        ),
    ),
    MailKind.MEETING_RESPONSE: (
        N_("Answers to your meetings"),
        N_("When a colleague you invited to a meeting accepts or declines it."),
    ),
    MailKind.VISITOR_ARRIVED: (
        N_("Your visitors"),
        N_("When reception marks a resident or partner you expect at your meeting arrived."),
    ),
    MailKind.CALLBACK_NOTE: (
        N_("Callback requests"),
        N_(
            "When the KCC leaves a resident's request to call back for you. The mail only "
            "says that there is one: the resident's number and question stay in Werkplek."
        ),
    ),
    MailKind.ABSENCE_REPORTED: (
        N_("Absences reported for you"),
        N_(
            "When your team lead reports you absent for a period, or withdraws such an "
            "absence; with the room bookings you still hold then."
        ),
    ),
    MailKind.BACKUP_NAMED: (
        N_("Backup for a colleague"),
        N_(
            "When you are named as a colleague's backup, as their usual backup or for an "
            "absence over a period or days of their week, and when you no longer are: the "
            "KCC and colleagues who want to reach them are referred to you. Also when your "
            "own backup leaves, to choose another."
        ),
    ),
    MailKind.VISIT_PLANNED: (
        N_("Field visits planned with you"),
        N_(
            "When a colleague or your team lead plans a field visit you go on, changes its "
            "time or place, takes you off it, extends or cancels it. The mail names the "
            "time and area; the address stays in Werkplek."
        ),
    ),
    MailKind.VISIT_ALERT: (
        N_("Field visit alerts"),
        N_(
            "When a colleague you look after has not checked out of a field visit. "
            "These cannot be switched off: a colleague's safety depends on them."
        ),
    ),
}


class NotificationPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/notifications")
    async def preferences(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        user: UserDep,
        saved: FromQuery[bool] = False,
    ) -> Template:
        chosen = await services.get_preferences(db, user)
        kinds = [
            {
                "kind": kind.value,
                "name": name,
                "description": description,
                "enabled": getattr(chosen, kind.value),
                "mandatory": kind in MANDATORY_KINDS,
            }
            for kind, (name, description) in KIND_TEXTS.items()
        ]
        return page(request, "notifications/preferences.html", kinds=kinds, saved=saved)

    @post("/notifications")
    async def save(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Redirect:
        form = await read_form(request, list_fields=("kinds",))
        switched_on = set(form["kinds"])
        choices = {
            kind.value: kind.value in switched_on
            for kind in MailKind
            if kind not in MANDATORY_KINDS
        }
        await services.set_preferences(db, clock, user, MailPreferencesIn(**choices))
        return Redirect(path="/notifications?saved=true")


#: How the outbox page names each status.
STATUS_LABELS: dict[MailStatus, str] = {
    MailStatus.PENDING: N_("In the queue"),
    MailStatus.SENDING: N_("Being sent"),
    MailStatus.SENT: N_("Sent"),
    MailStatus.FAILED: N_("Failed"),
    MailStatus.CANCELLED: N_("Cancelled"),
}
OUTBOX_PAGE_SIZE = 50
#: What the page's buttons do to one message (``services.retry_mail``, ``cancel_queued_mail``).
MailAction = Callable[[AsyncSession, Clock, CurrentUser, int], Awaitable[OutboxMailOut]]
#: The outbox page's filters, kept in its links and after an action.
OUTBOX_FILTERS = ("status", "kind", "q", "offset")
#: What the outbox page says after an action.
OUTBOX_NOTICES = {
    "retried": N_("The e-mail is back in the queue; it is sent within a minute."),
    "cancelled": N_("The e-mail is cancelled; it will not be sent."),
}


class OutboxPages(Controller):
    path = "/admin/mail"
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        user: CurrentUser,
        *,
        status_code: int = 200,
        refused: str = "",
    ) -> Template:
        raw = _filters(request)
        errors: dict[str, str] = {}
        try:
            filters = convert_form(raw, OutboxFilter)
        except FormInvalid as exc:
            errors = exc.errors
            filters = OutboxFilter()
        filters.limit = OUTBOX_PAGE_SIZE
        result = await services.list_outbox(db, user, filters)
        notice = request.query_params.get("notice", "")
        return page(
            request,
            "notifications/outbox.html",
            status_code=422 if errors else status_code,
            result=result,
            values=raw,
            errors=errors,
            statuses=STATUS_LABELS,
            kinds={kind: name for kind, (name, _description) in KIND_TEXTS.items()},
            count_links={
                status.value: _query(raw, status=status.value, offset="") for status in MailStatus
            },
            here=_query(raw),
            notice=_(OUTBOX_NOTICES[notice]) if notice in OUTBOX_NOTICES else "",
            refused=refused,
            page_links=page_links(raw, result.total, result.offset, OUTBOX_PAGE_SIZE),
        )

    @get("/")
    async def outbox(self, request: Request[Any, Any, Any], db: DbDep, user: UserDep) -> Template:
        return await self._page(request, db, user)

    async def _act(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: Clock,
        user: CurrentUser,
        mail_id: int,
        action: MailAction,
        notice: str,
    ) -> Template | Redirect:
        """Act on one message, then back to the list with its filters (post/redirect/get,
        so a reload sends nothing again); a refusal is said above the list."""
        try:
            await action(db, clock, user, mail_id)
        except DomainError as exc:
            await db.rollback()
            return await self._page(
                request, db, user, status_code=exc.status_code, refused=exc.message
            )
        return Redirect(path="/admin/mail" + _query(_filters(request), notice=notice))

    @post("/{mail_id:int}/retry")
    async def retry(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        mail_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._act(request, db, clock, user, mail_id, services.retry_mail, "retried")

    @post("/{mail_id:int}/cancel")
    async def cancel(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        mail_id: FromPath[int],
    ) -> Template | Redirect:
        return await self._act(
            request, db, clock, user, mail_id, services.cancel_queued_mail, "cancelled"
        )


def _filters(request: Request[Any, Any, Any]) -> dict[str, str]:
    """The outbox page's filters in the address, as given."""
    return {key: value for key in OUTBOX_FILTERS if (value := request.query_params.get(key))}


def _query(filters: dict[str, str], **changes: str) -> str:
    """The query string of ``filters`` with ``changes`` (an empty value drops the key)."""
    values = {key: value for key, value in {**filters, **changes}.items() if value}
    return "?" + urlencode(values) if values else ""


ROUTES = [NotificationPages, OutboxPages]
