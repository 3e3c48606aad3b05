"""Pages: the display links of a site (/admin/sites/{id}/displays, facilities) and the
displays themselves (/display/{token}: no login, no cookie, the token is the key)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import segno
from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.config import Settings
from werkplek.displays import services
from werkplek.displays.api import created_out
from werkplek.displays.schemas import DisplayLinkCreated, DisplayLinkIn
from werkplek.errors import DomainError
from werkplek.i18n import _, current_language
from werkplek.people.models import Role
from werkplek.people.services import CurrentUser
from werkplek.people.views import base_url
from werkplek.rooms.services import get_site
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    SettingsDep,
    UserDep,
    convert_form,
    int_or_none,
    is_htmx,
    page,
    provide_user,
    read_form,
    refusal,
    role_required,
)

#: A display is polled, not browsed: never cached, never in a search engine.
DISPLAY_HEADERS = {"cache-control": "no-store", "x-robots-tag": "noindex, nofollow"}
#: Seconds between refreshes of a display's board.
REFRESH_SECONDS = 30


def qr_data_uri(url: str) -> str:
    """The URL as a QR code (an SVG ``data:`` URI, allowed by the pages' policy), to
    scan instead of typing it: a new display link with the tablet, Ruimte boeken from a
    door display with one's phone."""
    return str(
        segno.make(url, error="m").svg_data_uri(scale=5, border=2, dark="#000000", light="#ffffff")
    )


def booking_url(
    request: Request[Any, Any, Any], settings: Settings, board: services.RoomBoard
) -> str | None:
    """Where the door display's QR code leads: Ruimte boeken with the room and the slot
    of ``board.book`` filled in, one click from booked (after logging in, if need be)."""
    if board.book is None:
        return None
    query = {
        "site": board.site_id,
        "date": board.book.start.date().isoformat(),
        "space_id": board.space_id,
        "start": board.book.start.strftime("%H:%M"),
        "end": board.book.end.strftime("%H:%M"),
    }
    return f"{base_url(request, settings)}/book/room?{urlencode(query)}#book-form"


class DisplayLinkPages(Controller):
    path = "/admin/sites/{site_id:int}/displays"
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.FACILITIES)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        user: CurrentUser,
        site_id: int,
        *,
        status_code: int = 200,
        created: DisplayLinkCreated | None = None,
        errors: dict[str, str] | None = None,
        values: dict[str, Any] | None = None,
    ) -> Template:
        return page(
            request,
            "displays/manage.html",
            status_code=status_code,
            site=await get_site(db, site_id),
            rooms=await services.display_rooms(db, site_id),
            links=await services.list_links(db, user, site_id),
            created=created,
            qr=qr_data_uri(created.url) if created else None,
            errors=errors or {},
            values=values or {},
            revoked=request.query_params.get("revoked") == "1",
        )

    @get("/")
    async def links(
        self, request: Request[Any, Any, Any], db: DbDep, user: UserDep, site_id: FromPath[int]
    ) -> Template:
        return await self._page(request, db, user, site_id)

    @post("/")
    async def create(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        site_id: FromPath[int],
    ) -> Template:
        form = await read_form(request)
        try:
            data = convert_form(
                {"site_id": site_id, "label": form.get("label"), "space_id": form.get("space_id")},
                DisplayLinkIn,
            )
            created = await services.create_link(db, clock, user, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._page(
                request, db, user, site_id, status_code=status_code, errors=errors, values=form
            )
        return await self._page(
            request, db, user, site_id, created=created_out(request, settings, created)
        )

    @post("/{link_id:int}/revoke")
    async def revoke(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: FromPath[int],
        link_id: FromPath[int],
    ) -> Redirect:
        await services.revoke_link(db, clock, user, link_id, site_id=site_id)
        return Redirect(path=f"/admin/sites/{site_id}/displays?revoked=1")


def _display(template_name: str, token: str, status_code: int = 200, **context: Any) -> Template:
    """A display's page or board: no menu, no form token, nothing of a logged-in page."""
    return Template(
        template_name=template_name,
        status_code=status_code,
        headers=DISPLAY_HEADERS,
        context={
            "lang": current_language(),
            "token": token,
            "refresh_seconds": REFRESH_SECONDS,
            **context,
        },
    )


class DisplayPages(Controller):
    """Public: the token in the URL is the credential, checked on every request."""

    tags = ["pages"]
    include_in_schema = False
    opt = {"public": True}

    async def _board(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        clock: ClockDep,
        settings: SettingsDep,
        token: str,
        *,
        whole_page: bool,
        status_code: int = 200,
        **context: Any,
    ) -> Template:
        try:
            board = await services.display_board(db, clock, settings, token)
        except services.DisplayNotFound:
            return _display("displays/not_found.html", "", status_code=404)
        if isinstance(board, services.LobbyBoard):
            name = "lobby"
        else:
            name = "room"
            url = booking_url(request, settings, board)
            context["book_qr"] = qr_data_uri(url) if url is not None else None
        template = f"displays/{name}.html" if whole_page else f"displays/_{name}_board.html"
        return _display(template, token, status_code, board=board, **context)

    @get("/display/{token:str}")
    async def display(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        token: FromPath[str],
    ) -> Template:
        return await self._board(request, db, clock, settings, token, whole_page=True)

    @get("/display/{token:str}/board")
    async def board(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        token: FromPath[str],
    ) -> Template:
        """The board alone, which the page fetches every ``REFRESH_SECONDS``."""
        return await self._board(request, db, clock, settings, token, whole_page=False)

    @post("/display/{token:str}/check-in")
    async def check_in(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        token: FromPath[str],
    ) -> Template | Redirect:
        """The "Inchecken" button: htmx swaps the board with what happened; without
        JavaScript the page is shown again (as a GET, so its refresh does not post)."""
        form = await read_form(request)
        htmx = is_htmx(request)
        try:
            await services.check_in_from_display(
                db, clock, token, int_or_none(form.get("booking_id")) or 0
            )
        except services.DisplayNotFound:
            return _display("displays/not_found.html", "", status_code=404)
        except DomainError as exc:
            await db.rollback()
            return await self._board(
                request,
                db,
                clock,
                settings,
                token,
                whole_page=not htmx,
                status_code=exc.status_code,
                error=exc.message,
            )
        await db.commit()
        if not htmx:
            return Redirect(path=f"/display/{token}")
        return await self._board(
            request, db, clock, settings, token, whole_page=False, message=_("Checked in.")
        )


ROUTES = [DisplayLinkPages, DisplayPages]
