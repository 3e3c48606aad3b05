"""Pages of an evacuation's roll call (Ontruiming): /emergency, a site's page with the
start button and its confirmation, and the roll call's list to tick people off on a phone
at the assembly point, with htmx or without JavaScript."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath
from litestar.response import Redirect, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.emergency import services
from werkplek.emergency.schemas import AddPersonIn
from werkplek.errors import DomainError
from werkplek.i18n import _
from werkplek.people.services import CurrentUser
from werkplek.presence.services import hhmm, site_of_today
from werkplek.rooms.services import get_site, list_sites
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    UserDep,
    convert_form,
    is_htmx,
    page,
    provide_user,
    read_form,
    refusal,
    role_required,
)

#: The list's filter: everyone, or only those not yet accounted for.
MISSING = "missing"


def _show(values: dict[str, Any]) -> str:
    return MISSING if values.get("show") == MISSING else ""


def _roll_call_url(roll_call_id: int, show: str = "", **extra: str) -> str:
    query = urlencode({k: v for k, v in {"show": show, **extra}.items() if v})
    return f"/emergency/roll-calls/{roll_call_id}" + (f"?{query}" if query else "")


async def _roll_call_page(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    user: CurrentUser,
    roll_call_id: int,
    *,
    show: str = "",
    status_code: int = 200,
    message: str | None = None,
    error: str | None = None,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
) -> Template:
    roll_call = await services.roll_call_out(db, user, roll_call_id)
    entries = roll_call.entries
    if show == MISSING:
        entries = [entry for entry in entries if not entry.accounted_for]
    return page(
        request,
        "emergency/roll_call.html",
        status_code=status_code,
        roll_call=roll_call,
        entries=entries,
        show=show,
        confirm_close=request.query_params.get("confirm") == "close",
        hhmm=hhmm,
        message=message,
        error=error,
        errors=errors or {},
        values=values or {},
    )


async def _marked(
    request: Request[Any, Any, Any],
    db: AsyncSession,
    user: CurrentUser,
    roll_call_id: int,
    entry_id: int,
    show: str,
    *,
    status_code: int = 200,
    row_error: str | None = None,
) -> Template:
    """htmx's answer to a row's button: the row, and the count out of band."""
    roll_call = await services.get_roll_call(db, user, roll_call_id)
    return page(
        request,
        "emergency/_marked.html",
        status_code=status_code,
        roll_call_id=roll_call_id,
        entry=await services.entry_out(db, user, roll_call_id, entry_id),
        count=await services.count_of(db, roll_call_id),
        show=show,
        is_open=roll_call.closed_at is None,
        hhmm=hhmm,
        row_error=row_error,
    )


class EmergencyPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(*services.RESPONDERS)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/emergency")
    async def sites(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        """The sites to evacuate, those with an open roll call marked; the one where the
        responder works today first, to reach it in one tap."""
        sites = list(await list_sites(db))
        own = await site_of_today(db, clock, user.id, sites)
        return page(
            request,
            "emergency/sites.html",
            sites=sorted(sites, key=lambda site: site is not own),
            own=own,
            open_ids=await services.open_roll_calls(db, user),
        )

    @get("/emergency/sites/{site_id:int}")
    async def site(
        self, request: Request[Any, Any, Any], db: DbDep, user: UserDep, site_id: FromPath[int]
    ) -> Template | Redirect:
        """The site's open roll call, or its start button (with a confirmation step) and
        the earlier roll calls still kept."""
        site = await get_site(db, site_id)
        open_id = await services.open_roll_call_id(db, site.id)
        if open_id is not None:
            return Redirect(path=_roll_call_url(open_id))
        return page(
            request,
            "emergency/site.html",
            site=site,
            confirm=request.query_params.get("confirm") == "start",
            earlier=await services.roll_calls_of_site(db, user, site.id),
            hhmm=hhmm,
        )

    @post("/emergency/sites/{site_id:int}/start")
    async def start(
        self, db: DbDep, clock: ClockDep, user: UserDep, site_id: FromPath[int]
    ) -> Redirect:
        """Start the roll call; one already open (someone else was quicker) is opened."""
        site = await get_site(db, site_id)
        try:
            roll_call = await services.start_roll_call(db, clock, user, site)
        except services.RollCallOpen as exc:
            await db.rollback()
            return Redirect(path=_roll_call_url(int(exc.params["roll_call_id"])))
        await db.commit()
        return Redirect(path=_roll_call_url(roll_call.id))

    @get("/emergency/roll-calls/{roll_call_id:int}")
    async def roll_call(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        user: UserDep,
        roll_call_id: FromPath[int],
    ) -> Template:
        """The list with its count, a tick button per row, the filter of those not yet
        seen, a field to add someone and the close button."""
        done = {"added": _("Added to the list as accounted for.")}
        return await _roll_call_page(
            request,
            db,
            user,
            roll_call_id,
            show=_show(dict(request.query_params)),
            message=done.get(request.query_params.get("done", "")),
        )

    @post("/emergency/roll-calls/{roll_call_id:int}/entries/{entry_id:int}")
    async def mark(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        roll_call_id: FromPath[int],
        entry_id: FromPath[int],
    ) -> Template | Redirect:
        """A row's button: htmx swaps the row and the count; without JavaScript the list
        is shown again at the row."""
        form = await read_form(request)
        show = _show(form)
        try:
            await services.mark(
                db, clock, user, roll_call_id, entry_id, form.get("accounted_for") == "1"
            )
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            await db.rollback()
            if is_htmx(request):  # the row says why, where the button was
                return await _marked(
                    request, db, user, roll_call_id, entry_id, show,
                    status_code=exc.status_code, row_error=exc.message,
                )  # fmt: skip
            return await _roll_call_page(
                request, db, user, roll_call_id, show=show, status_code=exc.status_code,
                error=exc.message,
            )  # fmt: skip
        await db.commit()
        if not is_htmx(request):
            return Redirect(path=f"{_roll_call_url(roll_call_id, show)}#entry-{entry_id}")
        return await _marked(request, db, user, roll_call_id, entry_id, show)

    @post("/emergency/roll-calls/{roll_call_id:int}/entries")
    async def add(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        roll_call_id: FromPath[int],
    ) -> Template | Redirect:
        """Someone not on the list, seen at the assembly point."""
        form = await read_form(request)
        try:
            data = convert_form({"name": form.get("name", "")}, AddPersonIn)
            await services.add_person(db, clock, user, roll_call_id, data)
        except (FormInvalid, DomainError) as exc:
            if isinstance(exc, DomainError) and exc.status_code == 404:
                raise
            errors, status_code = await refusal(db, exc)
            return await _roll_call_page(
                request,
                db,
                user,
                roll_call_id,
                show=_show(form),
                status_code=status_code,
                error=errors.get("roll_call") or _("Please correct the marked fields."),
                errors=errors,
                values=form,
            )
        await db.commit()
        return Redirect(path=_roll_call_url(roll_call_id, _show(form), done="added"))

    @post("/emergency/roll-calls/{roll_call_id:int}/close")
    async def close(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        roll_call_id: FromPath[int],
    ) -> Template | Redirect:
        try:
            await services.close_roll_call(db, clock, user, roll_call_id)
        except DomainError as exc:
            if exc.status_code == 404:
                raise
            await db.rollback()
            return await _roll_call_page(
                request, db, user, roll_call_id, status_code=exc.status_code, error=exc.message
            )
        await db.commit()
        return Redirect(path=_roll_call_url(roll_call_id))


ROUTES = [EmergencyPages]
