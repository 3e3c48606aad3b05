"""The "Meldingen" page: which kinds of e-mail I receive."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromQuery
from litestar.response import Redirect, Template

from werkplek.i18n import N_
from werkplek.notifications import services
from werkplek.notifications.models import MANDATORY_KINDS, MailKind
from werkplek.notifications.schemas import MailPreferencesIn
from werkplek.web import ClockDep, DbDep, UserDep, login_required, page, provide_user, read_form

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
    MailKind.CALLBACK_NOTE: (
        N_("Callback requests"),
        N_(
            "When the KCC leaves a resident's request to call back for you. The mail only "
            "says that there is one: the resident's number and question stay in Werkplek."
        ),
    ),
    MailKind.VISIT_PLANNED: (
        N_("Field visits planned with you"),
        N_(
            "When a colleague or your team lead plans a field visit you go on. The mail "
            "names the time and area; the address stays in Werkplek."
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


ROUTES = [NotificationPages]
