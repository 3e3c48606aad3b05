"""The admin page for webhooks: endpoints, the secret shown once, a test ping, the log."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.errors import DomainError
from werkplek.i18n import _
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    SettingsDep,
    UserDep,
    convert_form,
    page,
    provide_user,
    read_form,
    refusal,
    role_required,
)
from werkplek.webhooks import services
from werkplek.webhooks.models import EVENT_DESCRIPTIONS, SUBSCRIBABLE_EVENTS
from werkplek.webhooks.schemas import EndpointCreated, EndpointIn


class WebhookPages(Controller):
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
        created: EndpointCreated | None = None,
        errors: dict[str, str] | None = None,
        form: dict[str, Any] | None = None,
        notice: str = "",
    ) -> Template:
        endpoints = await services.list_endpoints(db, user)
        urls = {e.id: e.url for e in endpoints}
        log = await services.deliveries(db, user)
        return page(
            request,
            "webhooks/webhooks.html",
            status_code=status_code,
            endpoints=endpoints,
            events=[(event.value, _(EVENT_DESCRIPTIONS[event])) for event in SUBSCRIBABLE_EVENTS],
            deliveries=[
                {
                    "item": d,
                    "url": urls.get(d.endpoint_id, ""),
                    "failure": services.failure_summary(d.last_error),
                }
                for d in log
            ],
            created=created,
            errors=errors or {},
            form=form or {"url": "", "description": "", "events": []},
            notice=notice,
        )

    @get("/admin/webhooks")
    async def webhooks(
        self, request: Request[Any, Any, Any], db: DbDep, user: UserDep, notice: FromQuery[str] = ""
    ) -> Template:
        return await self._page(request, db, user, notice=notice)

    @post("/admin/webhooks")
    async def create(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
    ) -> Template:
        form = await read_form(request, list_fields=("events",))
        fields = {name: form.get(name, "") for name in ("url", "events", "description", "secret")}
        try:
            data = convert_form(fields, EndpointIn, empty_is_none=("secret",))
            created = await services.create_endpoint(db, clock, settings, user, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._page(
                request, db, user, status_code=status_code, errors=errors, form=form
            )
        return await self._page(request, db, user, created=created)

    @post("/admin/webhooks/{endpoint_id:int}/test")
    async def send_test(
        self, db: DbDep, clock: ClockDep, user: UserDep, endpoint_id: FromPath[int]
    ) -> Redirect:
        await services.send_test(db, clock, user, endpoint_id)
        return Redirect(path="/admin/webhooks?notice=test")

    @post("/admin/webhooks/{endpoint_id:int}/delete")
    async def delete(
        self, db: DbDep, clock: ClockDep, user: UserDep, endpoint_id: FromPath[int]
    ) -> Redirect:
        await services.delete_endpoint(db, clock, user, endpoint_id)
        return Redirect(path="/admin/webhooks?notice=deleted")


ROUTES = [WebhookPages]
