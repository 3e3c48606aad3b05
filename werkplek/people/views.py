"""Pages: login, logout, language, home, profile with API tokens, people and team admin."""

from __future__ import annotations

import base64
import binascii
from typing import TYPE_CHECKING, Annotated, Any
from urllib.parse import urlsplit

from litestar import Controller, Request, get, post
from litestar.di import Provide
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Response, Template
from sqlalchemy.ext.asyncio import AsyncSession

from werkplek.bookings.services import bookable_people
from werkplek.clock import Clock, local_today
from werkplek.config import Settings
from werkplek.errors import DomainError
from werkplek.i18n import LANGUAGES, _
from werkplek.navigation import HOME_SECTIONS
from werkplek.people import importer, oidc, services
from werkplek.people.api import IMPORT_CEILING, read_people_file
from werkplek.people.middleware import LANGUAGE_COOKIE, SESSION_COOKIE
from werkplek.people.models import Role
from werkplek.people.schemas import (
    ApiTokenIn,
    PeopleFilter,
    PersonCreate,
    PersonUpdate,
    TeamFilter,
    TeamIn,
)
from werkplek.people.services import CurrentUser, PeopleList
from werkplek.web import (
    ClockDep,
    DbDep,
    FormInvalid,
    OptionalUserDep,
    SettingsDep,
    UserDep,
    convert_form,
    int_or_none,
    login_required,
    page,
    page_links,
    people_search,
    provide_optional_user,
    provide_user,
    read_form,
    refusal,
    role_required,
)

if TYPE_CHECKING:
    from werkplek.leavers import PeopleImport

WEEKDAYS = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]
MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def safe_next(target: str | None) -> str:
    """Only same-site paths may be redirected to after login."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    if "\\" in target:  # browsers read "/\evil.example" as "//evil.example"
        return "/"
    return target


def client_address(request: Request[Any, Any, Any]) -> str:
    return request.client.host if request.client else "unknown"


def base_url(request: Request[Any, Any, Any], settings: Settings) -> str:
    """This app's address as the browser sees it (WERKPLEK_PUBLIC_URL behind a proxy)."""
    return settings.public_url or str(request.base_url).rstrip("/")


def sso_provider(request: Request[Any, Any, Any]) -> oidc.Provider | None:
    provider: oidc.Provider | None = request.app.state.get("sso")
    return provider


def login_page(
    request: Request[Any, Any, Any],
    settings: Settings,
    *,
    status_code: int = 200,
    error: str | None = None,
    email: str = "",
    next_path: str = "/",
) -> Template:
    return page(
        request,
        "people/login.html",
        status_code=status_code,
        error=error,
        email=email,
        next=next_path,
        sso=sso_provider(request) is not None,
        sso_label=settings.oidc_button_label or _("Log in with your organisation account"),
        local_login=settings.local_login,
    )


def start_session(response: Response[Any], token: str, settings: Settings) -> None:
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=settings.session_hours * 3600,
        httponly=True,
        secure=settings.secure_cookies,
        samesite="lax",
        path="/",
    )


class AuthPages(Controller):
    """Reachable without logging in (the login form itself, logout and language choice)."""

    tags = ["pages"]
    include_in_schema = False
    opt = {"public": True}
    dependencies = {"user": Provide(provide_optional_user, sync_to_thread=False)}

    @get("/login")
    async def login_form(
        self,
        request: Request[Any, Any, Any],
        settings: SettingsDep,
        user: OptionalUserDep,
        next: FromQuery[str | None] = None,
    ) -> Template | Redirect:
        if user is not None:
            return Redirect(path=safe_next(next))
        return login_page(request, settings, next_path=safe_next(next))

    @post("/login")
    async def login(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, settings: SettingsDep
    ) -> Template | Redirect:
        form = await read_form(request)
        email = str(form.get("email") or "")
        next_path = safe_next(form.get("next"))
        if not settings.local_login:
            return login_page(
                request,
                settings,
                status_code=403,
                error=_(
                    "Logging in with a password is switched off. "
                    "Log in with your organisation account."
                ),
                next_path=next_path,
            )
        try:
            token, _user = await services.login(
                db,
                clock,
                email=email,
                password=str(form.get("password") or ""),
                address=client_address(request),
                max_attempts=settings.login_attempts_per_15_minutes,
                session_hours=settings.session_hours,
            )
        except DomainError as exc:
            return login_page(
                request,
                settings,
                status_code=exc.status_code,
                error=exc.message,
                email=email,
                next_path=next_path,
            )
        response = Redirect(path=next_path)
        start_session(response, token, settings)
        return response

    @get("/login/oidc")
    async def sso_login(
        self,
        request: Request[Any, Any, Any],
        clock: ClockDep,
        settings: SettingsDep,
        user: OptionalUserDep,
        next: FromQuery[str | None] = None,
    ) -> Redirect:
        """Send the browser to the identity provider (single sign-on)."""
        provider = sso_provider(request)
        if provider is None:
            raise NotFoundException()
        if user is not None:
            return Redirect(path=safe_next(next))
        url, flow = oidc.begin_login(
            settings,
            clock,
            provider,
            redirect_uri=base_url(request, settings) + oidc.CALLBACK_PATH,
            next_path=safe_next(next),
        )
        response = Redirect(path=url)
        response.set_cookie(
            oidc.FLOW_COOKIE,
            flow,
            max_age=int(oidc.FLOW_LIFETIME.total_seconds()),
            httponly=True,
            secure=settings.secure_cookies,
            samesite="lax",
            path=oidc.FLOW_COOKIE_PATH,
        )
        return response

    @get(oidc.CALLBACK_PATH)
    async def sso_callback(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, settings: SettingsDep
    ) -> Template | Redirect:
        """The identity provider sends the browser back here with a code (or an error)."""
        provider = sso_provider(request)
        if provider is None:
            raise NotFoundException()
        response: Template | Redirect
        try:
            done = await oidc.finish_login(
                db,
                clock,
                settings,
                provider,
                flow_cookie=request.cookies.get(oidc.FLOW_COOKIE),
                params={key: request.query_params[key] for key in request.query_params},
                redirect_uri=base_url(request, settings) + oidc.CALLBACK_PATH,
            )
        except DomainError as exc:
            response = login_page(request, settings, status_code=exc.status_code, error=exc.message)
        else:
            token, _user = await services.open_session(
                db,
                clock,
                done.person,
                session_hours=settings.session_hours,
                id_token=done.id_token,
                method="oidc",
            )
            response = Redirect(path=safe_next(done.next_path))
            start_session(response, token, settings)
        response.delete_cookie(oidc.FLOW_COOKIE, path=oidc.FLOW_COOKIE_PATH)
        return response

    @post("/logout")
    async def logout(
        self, request: Request[Any, Any, Any], db: DbDep, settings: SettingsDep
    ) -> Redirect:
        """End the session here, and at the identity provider when it was a single sign-on."""
        token = request.cookies.get(SESSION_COOKIE)
        id_token = await services.logout(db, token) if token else None
        provider = sso_provider(request)
        target = None
        if provider is not None and id_token:
            target = oidc.logout_url(
                settings, provider, id_token, base_url(request, settings) + "/login"
            )
        response = Redirect(path=target or "/login")
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @post("/language")
    async def set_language(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: OptionalUserDep,
    ) -> Redirect:
        form = await read_form(request)
        language = str(form.get("lang") or "")
        response = Redirect(path=safe_next(form.get("next")))
        if language in LANGUAGES:
            if user is not None:
                await services.update_person(
                    db, clock, user, user.id, PersonUpdate(language=language)
                )
            response.set_cookie(
                LANGUAGE_COOKIE,
                language,
                max_age=365 * 24 * 3600,
                secure=settings.secure_cookies,
                samesite="lax",
                path="/",
            )
        return response


def today_label(clock: Clock) -> str:
    today = local_today(clock)
    return f"{_(WEEKDAYS[today.weekday()])} {today.day} {_(MONTHS[today.month - 1])} {today.year}"


#: What the profile form shows: what is stored, or what was submitted and refused.
PROFILE_FIELDS = ("phone", "mobile", "chat_handle", "backup_id", "language", "hide_desk")


def split_topics(text: object) -> list[str]:
    """Topics as a form field holds them: separated by commas."""
    return [topic.strip() for topic in str(text or "").split(",") if topic.strip()]


class HomePages(Controller):
    tags = ["pages"]
    include_in_schema = False
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/")
    async def home(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
    ) -> Template:
        sections: list[str] = []
        context: dict[str, Any] = {}
        for section in HOME_SECTIONS:
            sections.append(section.template)
            context.update(await section.load(db, clock, settings, user))
        return page(
            request,
            "home.html",
            today_label=today_label(clock),
            home_sections=sections,
            **context,
        )

    @get("/people/choices")
    async def person_options(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        user: UserDep,
        people: Annotated[PeopleList, QueryParameter(name="list")],
        q: FromQuery[str] = "",
        exclude: FromQuery[int | None] = None,
        keep: FromQuery[int | None] = None,
    ) -> Template:
        """The options of a select of people (``fields.person_select``) whose name or
        e-mail address contains ``q``: its box asks for them while one types. ``keep``:
        the one chosen."""
        if people is PeopleList.BOOKABLE:
            choices = await bookable_people(db, user, containing=q, keep=keep)
        elif people is PeopleList.EVERYONE:
            choices = await services.choices_with_former_staff(db, user, containing=q, keep=keep)
        else:
            choices = await services.colleague_choices(db, containing=q, keep=keep, exclude=exclude)
        return page(request, "people/_choices.html", choices=choices)

    @get("/profile")
    async def profile(self, request: Request[Any, Any, Any], db: DbDep, user: UserDep) -> Template:
        return await self._profile_page(request, db, user)

    async def _profile_page(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        user: CurrentUser,
        *,
        status_code: int = 200,
        errors: dict[str, str] | None = None,
        new_token: str | None = None,
        saved: bool = False,
        values: dict[str, Any] | None = None,
    ) -> Template:
        """``values``: what was submitted and refused, shown again instead of what is stored."""
        person = await services.get_person(db, user.id)
        contact = (
            values
            if values and "language" in values
            else {
                **{name: getattr(person, name) for name in PROFILE_FIELDS},
                "topics": ", ".join(topic.topic for topic in person.topics),
            }
        )
        return page(
            request,
            "people/profile.html",
            status_code=status_code,
            person=person,
            contact=contact,
            people=await services.colleague_choices(
                db,
                containing=people_search(values or {}).text,
                keep=int_or_none(contact.get("backup_id")),
                exclude=user.id,
            ),
            tokens=await services.list_api_tokens(db, user),
            errors=errors or {},
            new_token=new_token,
            saved=saved,
            values=values or {},
        )

    @post("/profile")
    async def save_profile(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        from werkplek import leavers  # it tells the usual backup chosen or taken back

        form = await read_form(request)
        form["hide_desk"] = form.get("hide_desk") == "on"
        if people_search(form).asked:  # only the backup looked up: nothing is saved
            return await self._profile_page(request, db, user, values=form)
        # Only what the profile offers: an administrator's own roles or being active are
        # changed on the people page, whose deactivation also frees bookings and feeds.
        own = {name: form[name] for name in PROFILE_FIELDS if name in form}
        try:
            data = convert_form(
                {**own, "topics": split_topics(form.get("topics"))},
                PersonUpdate,
                empty_is_none=("phone", "mobile", "chat_handle", "backup_id"),
            )
            await leavers.update_person(db, clock, user, user.id, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._profile_page(
                request, db, user, status_code=status_code, errors=errors, values=form
            )
        return await self._profile_page(request, db, user, saved=True)

    @post("/profile/tokens")
    async def create_token(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template:
        form = await read_form(request)
        form["read_only"] = form.get("read_only") == "on"
        try:
            created = await services.create_api_token(
                db, clock, user, convert_form(form, ApiTokenIn)
            )
        except FormInvalid as exc:
            return await self._profile_page(
                request, db, user, status_code=422, errors=exc.errors, values=form
            )
        return await self._profile_page(request, db, user, new_token=created.token)

    @post("/profile/tokens/{token_id:int}/revoke")
    async def revoke_token(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        token_id: FromPath[int],
    ) -> Redirect:
        await services.revoke_api_token(db, clock, user, token_id)
        return Redirect(path="/profile")


PERSON_LIST_FIELDS = ("roles", "team_ids", "lead_team_ids")


def _person_data(form: dict[str, Any]) -> dict[str, Any]:
    """The person form's fields as the person schemas take them; a refused form is shown
    again with ``form`` itself, as typed. The form never deactivates: ``deactivate`` does,
    once confirmed."""
    values = dict(form)
    values["topics"] = split_topics(form.get("topics"))
    # The box brings someone back; deactivating asks first, on its own page.
    values.pop("active", None)
    if form.get("active") == "on":
        values["active"] = True
    return values


#: The previewed file travels back base64-encoded: its bytes exactly, a third larger.
APPLY_CEILING = IMPORT_CEILING * 4 // 3 + 64 * 1024


def _import_options(form: dict[str, Any]) -> importer.ImportOptions:
    return importer.ImportOptions(
        skip_invalid=form.get("skip_invalid") == "on",
        deactivate_missing=form.get("deactivate_missing") == "on",
    )


def _import_page(
    request: Request[Any, Any, Any],
    *,
    status_code: int = 200,
    errors: dict[str, str] | None = None,
    options: importer.ImportOptions | None = None,
    **context: Any,
) -> Template:
    """The import page: the upload form with the columns explained, and the report of a
    preview (``preview``, with what the import form sends back) or of an import (``done``)."""
    return page(
        request,
        "people/import.html",
        status_code=status_code,
        errors=errors or {},
        options=options or importer.ImportOptions(),
        columns=[
            (
                name,
                [alias for alias, field in importer.COLUMN_NAMES.items() if field == name],
                _(importer.FIELD_HELP[name]),
                name in importer.LIST_FIELDS,
            )
            for name in importer.FIELDS
        ],
        required=importer.REQUIRED_COLUMNS,
        separator=importer.LIST_SEPARATOR,
        max_megabytes=importer.MAX_BYTES // (1024 * 1024),
        **context,
    )


def _preview_page(
    request: Request[Any, Any, Any],
    clock: Clock,
    settings: Settings,
    user: CurrentUser,
    data: bytes,
    options: importer.ImportOptions,
    done: PeopleImport,
) -> Template:
    """The report of a dry run, with the form that imports the file: it sends the file
    back with its seal, so exactly this file is imported with these options, by this
    administrator, within the hour, deactivating only those shown."""
    return _import_page(
        request,
        options=options,
        preview=done,
        content=base64.b64encode(data).decode(),
        sealed=importer.seal_preview(
            settings.secret_key, clock, user.id, data, options, done.report
        ),
    )


#: How many people the administrator's list shows a page.
PEOPLE_PAGE_SIZE = 100
PEOPLE_FILTERS = ("q", "team_id", "role", "status", "offset")


class PeopleAdminPages(Controller):
    path = "/admin"
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/people")
    async def people(self, request: Request[Any, Any, Any], db: DbDep) -> Template:
        """Everyone, active or not, by name, narrowed by part of a name or e-mail address,
        a team, a role and whether active, a page at a time; a refused filter is marked
        and the list shown unfiltered."""
        raw = {key: value for key in PEOPLE_FILTERS if (value := request.query_params.get(key))}
        errors: dict[str, str] = {}
        try:
            chosen = convert_form(raw, PeopleFilter)
        except FormInvalid as exc:
            errors, chosen = exc.errors, PeopleFilter()
        filters: dict[str, Any] = {
            "query": chosen.q,
            "team_id": chosen.team_id,
            "role": chosen.role,
            "active": {"active": True, "inactive": False}.get(chosen.status or ""),
            "include_inactive": True,
        }
        people = await services.list_people(
            db, **filters, limit=PEOPLE_PAGE_SIZE, offset=chosen.offset
        )
        total = await services.count_people(db, **filters)
        template = (
            "people/people_rows.html" if request.headers.get("hx-request") else "people/people.html"
        )
        return page(
            request,
            template,
            status_code=422 if errors else 200,
            errors=errors,
            people=people,
            total=total,
            first=chosen.offset + 1,
            page_links=page_links(raw, total, chosen.offset, PEOPLE_PAGE_SIZE),
            teams=await services.list_teams(db),
            roles=list(Role),
            values=raw,
        )

    @get("/people/import")
    async def import_form(self, request: Request[Any, Any, Any]) -> Template:
        """Step one of importing people from a CSV file (an HR export): choose it."""
        return _import_page(request)

    @get("/people/import/example.csv")
    async def import_example(self) -> Response[bytes]:
        """A file to fill in: every column the import reads, and two example rows."""
        return Response(
            importer.example_csv().encode(),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": 'attachment; filename="medewerkers-voorbeeld.csv"'},
        )

    @post("/people/import", request_max_body_size=IMPORT_CEILING)
    async def preview_import(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
    ) -> Template:
        """Step two: what importing the file would do, with nothing saved, and the button
        that imports it."""
        from werkplek import leavers

        options = importer.ImportOptions()
        try:
            data = await read_people_file(request)  # first: it answers a body over the limit
            options = _import_options(await read_form(request))
            done = await leavers.import_people(
                db, clock, user, importer.decode(data), options, dry_run=True
            )
        except DomainError as exc:
            errors, status_code = await refusal(db, exc)
            return _import_page(request, status_code=status_code, errors=errors, options=options)
        return _preview_page(request, clock, settings, user, data, options, done)

    @post("/people/import/apply", request_max_body_size=APPLY_CEILING)
    async def apply_import(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
    ) -> Template:
        """Step three: import the previewed file, as the command does (those it deactivates
        lose their bookings that have not started, their logins and tokens); when it
        would now deactivate others than the preview showed, preview it again instead."""
        from werkplek import leavers

        form = await read_form(request)
        try:
            data = base64.b64decode(str(form.get("content") or ""), validate=True)
        except binascii.Error:
            data = b""  # altered: it matches no seal
        try:
            previewed = importer.open_preview(
                settings.secret_key, clock, user.id, data, str(form.get("sealed") or "")
            )
            done = await leavers.import_people(
                db,
                clock,
                user,
                importer.decode(data),
                previewed.options,
                dry_run=False,
                deactivating=previewed.deactivating,
            )
        except DomainError as exc:
            errors, status_code = await refusal(db, exc)
            return _import_page(request, status_code=status_code, errors=errors)
        if done.outdated:
            return _preview_page(request, clock, settings, user, data, previewed.options, done)
        return _import_page(request, options=previewed.options, done=done)

    async def _person_form(
        self,
        request: Request[Any, Any, Any],
        db: AsyncSession,
        person: Any,
        values: dict[str, Any],
        *,
        errors: dict[str, str] | None = None,
        status_code: int = 200,
        cancelled: int | None = None,
    ) -> Template:
        return page(
            request,
            "people/person_form.html",
            status_code=status_code,
            person=person,
            values=values,
            errors=errors or {},
            cancelled=cancelled,
            teams=services.chosen_teams_first(
                await services.list_teams(db),
                [*values.get("team_ids", []), *values.get("lead_team_ids", [])],
            ),
            roles=list(Role),
            people=await services.colleague_choices(
                db,
                containing=people_search(values).text,
                keep=int_or_none(values.get("backup_id")),
                exclude=person.id if person else None,
            ),
        )

    @get("/people/new")
    async def new_person(self, request: Request[Any, Any, Any], db: DbDep) -> Template:
        return await self._person_form(
            request, db, None, {"roles": ["employee"], "team_ids": [], "lead_team_ids": []}
        )

    @post("/people/new")
    async def create_person(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Redirect:
        from werkplek import leavers  # it tells the usual backup given

        form = await read_form(request, PERSON_LIST_FIELDS)
        if people_search(form).asked:  # only the backup looked up: nobody is added
            return await self._person_form(request, db, None, form)
        new_person = {k: v for k, v in _person_data(form).items() if k != "active"}  # always active
        try:
            data = convert_form(
                new_person,
                PersonCreate,
                empty_is_none=("phone", "mobile", "chat_handle"),
            )
            person = await leavers.create_person(db, clock, user, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            return await self._person_form(
                request, db, None, form, errors=errors, status_code=status_code
            )
        return Redirect(path=f"/admin/people/{person.id}?saved=1")

    @get("/people/{person_id:int}")
    async def edit_person(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        person_id: FromPath[int],
        cancelled: Annotated[int | None, QueryParameter(ge=0)] = None,
    ) -> Template:
        """The form; after a deactivation, ``cancelled`` says how many bookings it freed."""
        person = await services.get_person(db, person_id)
        out = services.person_out(person)
        values = {
            "email": out.email,
            "name": out.name,
            "roles": [r.value for r in out.roles],
            "team_ids": [str(t.id) for t in out.teams],
            "lead_team_ids": [str(t.id) for t in out.teams if t.is_lead],
            "topics": ", ".join(out.topics),
            "phone": out.phone or "",
            "mobile": out.mobile or "",
            "chat_handle": out.chat_handle or "",
            "language": out.language,
            "backup_id": str(out.backup_id or ""),
            "active": out.active,
        }
        return await self._person_form(request, db, person, values, cancelled=cancelled)

    @post("/people/{person_id:int}")
    async def update_person(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        person_id: FromPath[int],
    ) -> Template | Redirect:
        from werkplek import leavers  # bookings and feeds import people, not the reverse

        person = await services.get_person(db, person_id)
        form = await read_form(request, PERSON_LIST_FIELDS)
        if people_search(form).asked:  # only the backup looked up: nothing is saved
            return await self._person_form(request, db, person, form)
        try:
            data = convert_form(
                _person_data(form),
                PersonUpdate,
                empty_is_none=("phone", "mobile", "chat_handle", "backup_id"),
            )
            await leavers.update_person(db, clock, user, person_id, data)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            person = await services.get_person(db, person_id)  # a rollback expired it
            return await self._person_form(
                request, db, person, form, errors=errors, status_code=status_code
            )
        return Redirect(path=f"/admin/people/{person_id}?saved=1")

    @get("/people/{person_id:int}/deactivate")
    async def confirm_deactivation(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        person_id: FromPath[int],
    ) -> Template | Redirect:
        """What deactivating the person does, to confirm (an inactive one: their form)."""
        from werkplek import leavers

        farewell = await leavers.farewell(db, clock, user, person_id)
        if not farewell.person.active:
            return Redirect(path=f"/admin/people/{person_id}")
        return page(request, "people/deactivate.html", farewell=farewell, errors={})

    @post("/people/{person_id:int}/deactivate")
    async def deactivate(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        person_id: FromPath[int],
    ) -> Template | Redirect:
        from werkplek import leavers

        try:
            change = await leavers.deactivate(db, clock, user, person_id)
        except DomainError as exc:
            errors, status_code = await refusal(db, exc)
            return page(
                request,
                "people/deactivate.html",
                status_code=status_code,
                farewell=await leavers.farewell(db, clock, user, person_id),
                errors=errors,
            )
        return Redirect(path=f"/admin/people/{person_id}?cancelled={len(change.cancelled)}")

    @get("/teams")
    async def teams(self, request: Request[Any, Any, Any], db: DbDep) -> Template:
        """The teams, or those whose name contains ``q``, and the form to add one; a
        refused search is marked and every team shown."""
        q = request.query_params.get("q") or ""
        errors: dict[str, str] = {}
        try:
            chosen = convert_form({"q": q}, TeamFilter)
        except FormInvalid as exc:
            errors, chosen = exc.errors, TeamFilter()
        return page(
            request,
            "people/teams.html",
            status_code=422 if errors else 200,
            teams=await services.list_teams(db, containing=chosen.q),
            q=q,
            errors=errors,
            values={},
        )

    @post("/teams")
    async def create_team(
        self, request: Request[Any, Any, Any], db: DbDep, clock: ClockDep, user: UserDep
    ) -> Template | Response[Any]:
        form = await read_form(request)
        try:
            await services.save_team(db, clock, user, convert_form(form, TeamIn))
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
        else:
            return Redirect(path="/admin/teams?saved=1")
        return page(
            request,
            "people/teams.html",
            status_code=status_code,
            teams=await services.list_teams(db),
            errors=errors,
            values=form,
        )

    @get("/teams/{team_id:int}")
    async def edit_team(
        self, request: Request[Any, Any, Any], db: DbDep, team_id: FromPath[int]
    ) -> Template:
        team = await services.get_team(db, team_id)
        values = {"name": team.name, "description": team.description}
        return page(request, "people/team_form.html", team=team, values=values, errors={})

    @post("/teams/{team_id:int}")
    async def update_team(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        team_id: FromPath[int],
    ) -> Template | Redirect:
        team = await services.get_team(db, team_id)
        form = await read_form(request)
        try:
            await services.save_team(db, clock, user, convert_form(form, TeamIn), team_id)
        except (FormInvalid, DomainError) as exc:
            errors, status_code = await refusal(db, exc)
            team = await services.get_team(db, team_id)  # a rollback expired it
        else:
            return Redirect(path="/admin/teams?saved=1")
        return page(
            request,
            "people/team_form.html",
            status_code=status_code,
            team=team,
            values=form,
            errors=errors,
        )


ROUTES = [AuthPages, HomePages, PeopleAdminPages]
