"""JSON API for admins: /api/webhooks (endpoints, test ping, delivery log)."""

from __future__ import annotations

from typing import Annotated

from litestar import Controller, delete, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED, HTTP_202_ACCEPTED

from werkplek.people.models import Role
from werkplek.web import ClockDep, DbDep, SettingsDep, UserDep, provide_user, role_required
from werkplek.webhooks import services
from werkplek.webhooks.schemas import DeliveryOut, EndpointCreated, EndpointIn, EndpointOut


class WebhooksController(Controller):
    path = "/api/webhooks"
    tags = ["webhooks"]
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="Registered webhook endpoints")
    async def list_endpoints(self, db: DbDep, user: UserDep) -> list[EndpointOut]:
        return await services.list_endpoints(db, user)

    @post(
        "/",
        summary="Register an endpoint",
        description=(
            "Events: `booking.created`, `booking.cancelled`, `booking.approved`, "
            "`booking.checked_in`, `booking.checked_out`, `booking.changed`, "
            "`presence.changed`. "
            "Without a `secret` one is generated; "
            "the answer holds it and it is never shown again. "
            "Requests are signed: see the `Werkplek-Signature` header in the documentation."
        ),
        status_code=HTTP_201_CREATED,
    )
    async def create_endpoint(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        data: JSONBody[EndpointIn],
    ) -> EndpointCreated:
        return await services.create_endpoint(db, clock, settings, user, data)

    @delete("/{endpoint_id:int}", summary="Stop sending to an endpoint (its log is kept)")
    async def delete_endpoint(
        self, db: DbDep, clock: ClockDep, user: UserDep, endpoint_id: FromPath[int]
    ) -> None:
        await services.delete_endpoint(db, clock, user, endpoint_id)

    @post(
        "/{endpoint_id:int}/test",
        summary="Queue a `ping` event to the endpoint",
        status_code=HTTP_202_ACCEPTED,
    )
    async def send_test(
        self, db: DbDep, clock: ClockDep, user: UserDep, endpoint_id: FromPath[int]
    ) -> DeliveryOut:
        return await services.send_test(db, clock, user, endpoint_id)

    @get("/deliveries", summary="The delivery log, newest first (200 at most)")
    async def deliveries(
        self,
        db: DbDep,
        user: UserDep,
        endpoint_id: Annotated[
            int | None,
            QueryParameter(
                description="Only the deliveries to this endpoint (id), also one deleted since"
                " (its log is kept); an unknown one is 404. Default: those to every endpoint.",
            ),
        ] = None,
    ) -> list[DeliveryOut]:
        return await services.deliveries(db, user, endpoint_id)


ROUTES = [WebhooksController]
