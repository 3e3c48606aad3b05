"""JSON API: /api/me, /api/people, /api/teams, /api/tokens."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import msgspec
from litestar import Controller, Request, delete, get, patch, post
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter

from werkplek.errors import InvalidInput, TooLarge
from werkplek.i18n import _
from werkplek.openapi import conflict, rule_broken, too_large
from werkplek.people import services
from werkplek.people.importer import MAX_BYTES, ImportOptions, ImportRefused, decode
from werkplek.people.models import Role
from werkplek.people.schemas import (
    ApiTokenCreated,
    ApiTokenIn,
    ApiTokenOut,
    ImportErrorOut,
    MeOut,
    PeopleImportOut,
    PersonChanged,
    PersonCreate,
    PersonOut,
    PersonUpdate,
    TeamIn,
    TeamOut,
    TeamUpdate,
)
from werkplek.web import (
    ClockDep,
    DbDep,
    UserDep,
    login_required,
    provide_user,
    read_uploaded_file,
    role_required,
)

if TYPE_CHECKING:
    from werkplek.leavers import PeopleImport

EMAIL_TAKEN = conflict("Someone else has this e-mail address (`email_taken`).")
TEAM_NAME_TAKEN = conflict("Another team has this name (`name_taken`).")
#: Bodies above this are refused before they are read: the file, and a multipart
#: form's own fields and boundaries.
IMPORT_CEILING = MAX_BYTES + 64 * 1024


async def read_people_file(request: Request[Any, Any, Any]) -> bytes:
    """The CSV file from a multipart ``file`` field, or the raw request body; refused at
    the field ``file`` when missing or larger than ``importer.MAX_BYTES``."""
    larger = _(
        "The file is larger than %(size)s MB; split it or leave out columns you do not need.",
        size=MAX_BYTES // (1024 * 1024),
    )
    payload = await read_uploaded_file(request, larger)
    if not payload:
        raise InvalidInput(_("Choose a CSV file."), field="file", code="file_missing")
    if len(payload) > MAX_BYTES:
        raise TooLarge(larger, field="file")
    return payload


def import_out(done: PeopleImport) -> PeopleImportOut:
    report = done.report
    return PeopleImportOut(
        dry_run=report.dry_run,
        applied=report.applied,
        created=report.created,
        updated=report.updated,
        unchanged=report.unchanged,
        deactivated=report.deactivated,
        teams_created=report.teams_created,
        ignored_columns=report.ignored_columns,
        errors=[ImportErrorOut(e.line, e.field, e.message) for e in report.errors],
        cancelled_booking_ids=[booking.id for booking in done.cancelled],
    )


class MeController(Controller):
    path = "/api/me"
    tags = ["people"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="The logged-in person")
    async def me(self, db: DbDep, user: UserDep) -> MeOut:
        person = await services.get_person(db, user.id)
        return MeOut(person=services.person_out(person), csrf_token=user.csrf_token)

    @patch(
        "/",
        summary="Change my contact details, topics, language, usual backup or desk privacy",
        description=(
            "An admin who deactivates themselves here also cancels their bookings that have "
            "not started, as `PATCH /api/people/{person_id}` does. A new `backup_id` mails "
            "the colleague chosen as usual backup, and the one it replaces that they no "
            "longer are (mail kind `backup_named`, template `backup_usual`); a change undone "
            "before that mail went out mails nobody."
        ),
        responses=EMAIL_TAKEN,
    )
    async def update_me(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[PersonUpdate]
    ) -> PersonOut:
        from werkplek import leavers  # bookings and feeds import people, not the reverse

        change = await leavers.update_person(db, clock, user, user.id, data)
        return services.person_out(change.person)


class PeopleController(Controller):
    path = "/api/people"
    tags = ["people"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/",
        summary="Find people by name or e-mail, or by team",
        description="Active people only, in order of name.",
    )
    async def list_people(
        self,
        db: DbDep,
        q: Annotated[
            str | None,
            QueryParameter(
                max_length=100,
                description="Part of a name or e-mail address, in any case; spaces around "
                "it are ignored (at most 100 characters). Default: everyone.",
            ),
        ] = None,
        team_id: Annotated[
            int | None,
            QueryParameter(description="Only the members of this team (id), leads included."),
        ] = None,
        limit: Annotated[
            int, QueryParameter(ge=1, le=500, description="At most this many people, 1 to 500.")
        ] = 50,
        offset: Annotated[
            int, QueryParameter(ge=0, description="Skip this many people first, for paging.")
        ] = 0,
    ) -> list[PersonOut]:
        people = await services.list_people(
            db, query=q, team_id=team_id, limit=limit, offset=offset
        )
        return [services.person_out(person) for person in people]

    @get(
        "/{person_id:int}",
        summary="One person",
        description="Former staff (no longer active) are 404 for all but administrators.",
    )
    async def get_person(self, db: DbDep, user: UserDep, person_id: FromPath[int]) -> PersonOut:
        return services.person_out(await services.look_up_person(db, user, person_id))

    @post(
        "/",
        summary="Create a person (admin)",
        description=(
            "A `backup_id` given mails that colleague that they are the new person's usual "
            "backup, naming the administrator (mail kind `backup_named`, template "
            "`backup_usual`), unless it is the administrator themselves."
        ),
        guards=[role_required(Role.ADMIN)],
        responses=EMAIL_TAKEN,
    )
    async def create_person(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[PersonCreate]
    ) -> PersonOut:
        from werkplek import leavers  # it tells the usual backup given

        return services.person_out(await leavers.create_person(db, clock, user, data))

    @patch(
        "/{person_id:int}",
        summary="Change a person (admin, or oneself for contact details)",
        description=(
            "Deactivating a person (`active: false`) also cancels the bookings held for them "
            "that have not started, as the people import does: audited as `cancel` with "
            "reason `person_deactivated` and sent to webhooks as `booking.cancelled`. "
            "`cancelled_booking_ids` lists them. Their API tokens and calendar feed tokens "
            "are revoked, their login sessions end, the mails waiting for them are "
            "withdrawn, and each active colleague who had "
            "them as usual backup, or as backup on a day from today on, is mailed to choose "
            "another (template `backup_left`, listing those days); their own usual backup "
            "and the colleagues named as their backup on days from today on are told they "
            "no longer are (templates `backup_usual`, `backup_dropped`), or hear nothing "
            "when the mail naming them had not gone out yet. Reactivating the person "
            "brings none of these back (old feed addresses stay 404), but withdraws those "
            "backup mails not sent yet. "
            "A new `backup_id` mails the colleague chosen as usual backup and the one it "
            "replaces (template `backup_usual`, kind `backup_named`), not the administrator "
            "who made the change; a change undone before that mail went out mails nobody. "
            "The last active administrator can be neither deactivated nor lose the `admin` "
            "role: 422 `last_admin`, naming `active` or `roles`."
        ),
        responses=EMAIL_TAKEN,
    )
    async def update_person(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        person_id: FromPath[int],
        data: JSONBody[PersonUpdate],
    ) -> PersonChanged:
        from werkplek import leavers  # bookings and feeds import people, not the reverse

        change = await leavers.update_person(db, clock, user, person_id, data)
        return PersonChanged(
            **msgspec.structs.asdict(services.person_out(change.person)),
            cancelled_booking_ids=[booking.id for booking in change.cancelled],
        )

    @post(
        "/import",
        summary="Create, update and deactivate people from a CSV file (admin)",
        description=(
            "What `werkplek import-people` does, for scripts. Send the file (UTF-8, with or "
            "without byte-order mark; at most 2 MB) as multipart field `file` or as a "
            "`text/csv` body. Columns: `email`, `name`, `teams`, `lead_of`, `roles`, "
            "`topics`, `phone`, `mobile`, `chat_handle`, `language`, `backup_email` (or "
            "their Dutch names); lists are separated by `|`; the separator (`,`, `;` or "
            "tab) is read from the header. People are matched on e-mail address. "
            "The answer is the report (with `skip_invalid`, the rows skipped in `errors`). "
            "A file whose errors keep it from being imported (any error, unless "
            "`skip_invalid`; with it still an unreadable header or a file leaving nobody "
            "administrator) is 422 `import_refused`, also on a dry run, with each error's "
            "`line`, `field` and `message` in `details.errors`; nothing is changed. "
            "`deactivate_missing` deactivates the active people not in the file, as "
            "deactivating them one by one does: their bookings that have not started are "
            "cancelled (`cancelled_booking_ids`), their login sessions end and their API "
            "and calendar feed tokens are revoked, the mails waiting for them are "
            "withdrawn, and the colleagues who had them as "
            "backup are mailed to choose another (template `backup_left`), and their own "
            "backups told they no longer are (templates `backup_usual`, `backup_dropped`). "
            "A usual backup "
            "(`backup_email`) the file sets or changes is not mailed, unlike one set on the "
            "people page or with `PATCH`: a bulk tool would mail everyone on its first run. "
            "Every change is audited with the "
            "caller as actor and `source: import`. A file that is not UTF-8 is 422 "
            "`not_utf8`, a missing file 422 `file_missing`, a larger one 413 `too_large`."
        ),
        guards=[role_required(Role.ADMIN)],
        status_code=200,
        request_max_body_size=IMPORT_CEILING,
        responses={
            **rule_broken(
                "The file's errors keep it from being imported (`import_refused`, field "
                "`file`): `details.errors` lists each with its `line` (the header is line 1), "
                "`field` (empty for the whole row) and `message`. Or the file is not UTF-8 "
                "(`not_utf8`) or missing (`file_missing`)."
            ),
            **too_large("The file is larger than 2 MB (`too_large`, field `file`)."),
        },
    )
    async def import_people(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        dry_run: Annotated[
            bool,
            QueryParameter(
                description="`true`: answer what would change, and change nothing. Default `false`."
            ),
        ] = False,
        skip_invalid: Annotated[
            bool,
            QueryParameter(
                description="`true`: import the valid rows and report the others. Default "
                "`false`: a file with errors imports nothing."
            ),
        ] = False,
        deactivate_missing: Annotated[
            bool,
            QueryParameter(
                description="`true`: deactivate the active people who are not in the file "
                "(nobody is deleted) and make those in it active. Default `false`."
            ),
        ] = False,
    ) -> PeopleImportOut:
        from werkplek import leavers  # bookings and feeds import people, not the reverse

        text = decode(await read_people_file(request))
        options = ImportOptions(skip_invalid=skip_invalid, deactivate_missing=deactivate_missing)
        done = await leavers.import_people(db, clock, user, text, options, dry_run=dry_run)
        if done.report.refused:
            raise ImportRefused.of(done.report)
        return import_out(done)


class TeamsController(Controller):
    path = "/api/teams"
    tags = ["people"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="All teams")
    async def list_teams(self, db: DbDep) -> list[TeamOut]:
        return await services.list_teams(db)

    @get("/{team_id:int}", summary="One team")
    async def get_team(self, db: DbDep, team_id: FromPath[int]) -> TeamOut:
        return await services.team_out(db, await services.get_team(db, team_id))

    @post(
        "/",
        summary="Create a team (admin)",
        guards=[role_required(Role.ADMIN)],
        responses=TEAM_NAME_TAKEN,
    )
    async def create_team(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[TeamIn]
    ) -> TeamOut:
        team = await services.save_team(db, clock, user, data)
        return await services.team_out(db, team)

    @patch(
        "/{team_id:int}",
        summary="Rename a team or change its description (admin)",
        description="Fields left out stay as they are.",
        guards=[role_required(Role.ADMIN)],
        responses=TEAM_NAME_TAKEN,
    )
    async def update_team(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        team_id: FromPath[int],
        data: JSONBody[TeamUpdate],
    ) -> TeamOut:
        team = await services.update_team(db, clock, user, team_id, data)
        return await services.team_out(db, team)


class ApiTokensController(Controller):
    path = "/api/tokens"
    tags = ["people"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="My API tokens")
    async def list_tokens(self, db: DbDep, user: UserDep) -> list[ApiTokenOut]:
        return await services.list_api_tokens(db, user)

    @post("/", summary="Create an API token; the token is shown only once")
    async def create_token(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[ApiTokenIn]
    ) -> ApiTokenCreated:
        return await services.create_api_token(db, clock, user, data)

    @delete("/{token_id:int}", summary="Revoke an API token")
    async def revoke_token(
        self, db: DbDep, clock: ClockDep, user: UserDep, token_id: FromPath[int]
    ) -> None:
        await services.revoke_api_token(db, clock, user, token_id)


ROUTES = [MeController, PeopleController, TeamsController, ApiTokensController]
