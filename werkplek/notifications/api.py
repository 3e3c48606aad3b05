"""JSON API: /api/me/notifications, which kinds of e-mail I receive."""

from __future__ import annotations

from litestar import Controller, get, put
from litestar.di import Provide
from litestar.params import JSONBody

from werkplek.notifications import services
from werkplek.notifications.schemas import MailPreferencesIn, MailPreferencesOut
from werkplek.web import ClockDep, DbDep, UserDep, login_required, provide_user


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


ROUTES = [MailPreferencesController]
