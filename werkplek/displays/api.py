"""JSON API of display links: /api/displays (facilities)."""

from __future__ import annotations

from typing import Annotated, Any

from litestar import Controller, Request, delete, get, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_201_CREATED

from werkplek.config import Settings
from werkplek.displays import services
from werkplek.displays.schemas import DisplayLinkCreated, DisplayLinkIn, DisplayLinkOut
from werkplek.people.models import Role
from werkplek.people.views import base_url
from werkplek.web import ClockDep, DbDep, SettingsDep, UserDep, provide_user, role_required


def display_url(request: Request[Any, Any, Any], settings: Settings, token: str) -> str:
    """The URL a tablet opens; ``WERKPLEK_PUBLIC_URL`` wins over the address the request
    came in on (behind a proxy that is often an internal one)."""
    return f"{base_url(request, settings)}/display/{token}"


def created_out(
    request: Request[Any, Any, Any], settings: Settings, created: services.CreatedLink
) -> DisplayLinkCreated:
    return DisplayLinkCreated(
        link=created.link, token=created.token, url=display_url(request, settings, created.token)
    )


class DisplayLinksController(Controller):
    path = "/api/displays"
    tags = ["displays"]
    guards = [role_required(Role.FACILITIES)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="The display links of a site (their URLs are never shown again)")
    async def list_links(
        self,
        db: DbDep,
        user: UserDep,
        site_id: Annotated[int, QueryParameter(description="The site whose links to list.")],
    ) -> list[DisplayLinkOut]:
        return await services.list_links(db, user, site_id)

    @post(
        "/",
        summary="Create a door display link for a room, or a lobby screen link for a site",
        description=(
            "With `space_id` (a meeting or resident room of the site) the link shows that "
            "room at its door; without it, every room of the site for a lobby screen. The "
            "answer holds the token and the URL to open on the tablet; only a hash is "
            "stored, so it cannot be shown again. The display needs no login: anyone with "
            "the URL sees what it shows, until the link is revoked."
        ),
        status_code=HTTP_201_CREATED,
    )
    async def create_link(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        data: JSONBody[DisplayLinkIn],
    ) -> DisplayLinkCreated:
        return created_out(request, settings, await services.create_link(db, clock, user, data))

    @delete("/{link_id:int}", summary="Revoke a display link; its URL answers 404 at once")
    async def revoke_link(
        self, db: DbDep, clock: ClockDep, user: UserDep, link_id: FromPath[int]
    ) -> None:
        await services.revoke_link(db, clock, user, link_id)


ROUTES = [DisplayLinksController]
