"""Pages: "Subscribe to calendar" (/feeds) with importing leave from an .ics file, and the
.ics download of a booking."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.errors import DomainError
from werkplek.feeds import services
from werkplek.feeds.api import IMPORT_MAX_BYTES, created_out, invite_response, read_upload
from werkplek.feeds.models import FeedScope
from werkplek.feeds.schemas import FeedScopeIn, FeedTokenCreated, FeedTokenIn, PresenceImportOut
from werkplek.i18n import N_, _
from werkplek.labels import label, short_date
from werkplek.people.services import CurrentUser
from werkplek.web import (
    ClockDep,
    DbDep,
    SettingsDep,
    UserDep,
    login_required,
    page,
    people_search,
    provide_user,
    read_form,
)

SCOPE_LABELS = {
    FeedScope.PERSON: N_("Person"),
    FeedScope.TEAM: N_("Team"),
    FeedScope.SITE: N_("Rooms at a site"),
    FeedScope.SPACE: N_("Space"),
}


def import_summary(result: PresenceImportOut) -> dict[str, Any]:
    """The import's answer for the page: marked half days per date, skipped days."""
    marked: dict[date, list[str]] = {}
    for item in result.marked:
        marked.setdefault(item.date, []).append(item.day_part)
    return {
        "dry_run": result.dry_run,
        "events": result.events,
        "free_events": result.free_events,
        "marked": [
            {
                "date": short_date(day),
                "parts": label("day") if len(parts) == 2 else label(parts[0]),
            }
            for day, parts in sorted(marked.items())
        ],
        "skipped": [
            {"date": short_date(item.date), "message": item.message} for item in result.skipped
        ],
    }


#: The scope select's choice "the colleague chosen in the select of people below".
COLLEAGUE = "colleague"


def parse_scope(value: Any) -> FeedScopeIn | None:
    """The form's ``kind:id`` choice, or None when it is not one."""
    kind, _sep, raw_id = str(value or "").partition(":")
    try:
        return FeedScopeIn(kind=FeedScope(kind), id=int(raw_id))
    except ValueError:
        return None


def chosen_scope(form: dict[str, Any]) -> str:
    """The form's choice as ``kind:id``: a colleague's calendar is chosen in two fields."""
    chosen = str(form.get("scope") or "")
    return f"person:{form.get('colleague_id') or ''}" if chosen == COLLEAGUE else chosen


class FeedPages(Controller):
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    async def _page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        user: CurrentUser,
        *,
        status_code: int = 200,
        created: FeedTokenCreated | None = None,
        errors: dict[str, str] | None = None,
        chosen: str | None = None,
        revoked: bool = False,
        imported: dict[str, Any] | None = None,
        import_errors: dict[str, str] | None = None,
        find: str = "",
    ) -> Template:
        """``find``: the search of the colleague box, narrowing the colleagues offered."""
        tokens = await services.list_tokens(db, user)
        chosen = chosen or f"person:{user.id}"
        scope = parse_scope(chosen)
        colleague_id = (
            scope.id
            if user.is_admin
            and scope is not None
            and scope.kind is FeedScope.PERSON
            and scope.id != user.id
            else None
        )
        return page(
            request,
            "feeds/feeds.html",
            status_code=status_code,
            choices=await services.scope_choices(
                db, user, colleague_id=colleague_id, colleagues_containing=find
            ),
            colleague_id=colleague_id,
            tokens=[
                {
                    "id": token.id,
                    "kind": _(SCOPE_LABELS[token.scope.kind]),
                    "name": token.scope.name,
                    "created_at": token.created_at,
                    "last_used_at": token.last_used_at,
                    "revoked": token.revoked,
                }
                for token in tokens
            ],
            created=created,
            errors=errors or {},
            chosen=COLLEAGUE if colleague_id is not None else chosen,
            revoked=revoked,
            imported=imported,
            import_errors=import_errors or {},
        )

    @get("/feeds")
    async def feeds(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        user: UserDep,
        revoked: FromQuery[bool] = False,
        scope_choice: Annotated[str | None, QueryParameter(name="scope")] = None,
    ) -> Template:
        """``scope`` (``team:3``, say) chooses what the form subscribes to, as a team
        board's link does."""
        chosen = scope_choice if parse_scope(scope_choice) is not None else None
        return await self._page(request, db, user, revoked=revoked, chosen=chosen)

    @post("/feeds")
    async def create(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
    ) -> Template:
        form = await read_form(request)
        chosen = chosen_scope(form)
        scope = parse_scope(chosen)
        search = people_search(form)
        if search.asked:  # only the colleague looked up: no link is made
            return await self._page(
                request,
                db,
                user,
                chosen=chosen if scope is not None else form.get("scope"),
                find=search.text,
            )
        if scope is None:
            errors = (
                {"colleague_id": _("Choose a colleague.")}
                if form.get("scope") == COLLEAGUE
                else {"scope": _("Choose what to subscribe to.")}
            )
            return await self._page(
                request,
                db,
                user,
                status_code=422,
                errors=errors,
                chosen=form.get("scope"),
                find=search.text,
            )
        try:
            created = await services.create_token(db, clock, user, FeedTokenIn(scope=scope))
        except DomainError as exc:
            return await self._page(
                request,
                db,
                user,
                status_code=exc.status_code,
                errors={"scope": exc.message},
                chosen=chosen,
                find=search.text,
            )
        return await self._page(
            request, db, user, created=created_out(request, settings, created), chosen=chosen
        )

    @post("/feeds/import", request_max_body_size=IMPORT_MAX_BYTES + 64 * 1024)
    async def import_absences(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
    ) -> Template:
        """Mark the days of an uploaded .ics (leave exported from Outlook) absent."""
        try:
            payload = await read_upload(request)  # first: it answers a body over the limit
            dry_run = (await request.form()).get("dry_run") == "on"
            result = await services.import_absences(
                db, clock, settings, user, payload, dry_run=dry_run
            )
        except DomainError as exc:
            await db.rollback()
            return await self._page(
                request, db, user, status_code=exc.status_code, import_errors={"file": exc.message}
            )
        return await self._page(request, db, user, imported=import_summary(result))

    @post("/feeds/{token_id:int}/revoke")
    async def revoke(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        token_id: FromPath[int],
    ) -> Template | Redirect:
        """Asks first on a page of its own: a calendar app that reads the link shows
        nothing more, and only a new subscription brings it back."""
        if (await read_form(request)).get("confirmed") != "1":
            own = {token.id: token for token in await services.list_tokens(db, user)}
            token = own.get(token_id)
            if token is not None and not token.revoked:
                return page(
                    request,
                    "feeds/revoke_confirm.html",
                    token=token,
                    kind=_(SCOPE_LABELS[token.scope.kind]),
                )
        await services.revoke_token(db, clock, user, token_id)
        return Redirect(path="/feeds?revoked=true")

    @get("/bookings/{booking_id:int}/invite.ics")
    async def invite(self, db: DbDep, user: UserDep, booking_id: FromPath[int]) -> Response[bytes]:
        return invite_response(await services.booking_invite(db, user, booking_id), booking_id)


ROUTES = [FeedPages]
