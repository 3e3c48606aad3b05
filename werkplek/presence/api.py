"""JSON API: presence days and patterns, status, KCC search, team boards, callback notes."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from litestar import Controller, Response, delete, get, patch, post, put
from litestar.datastructures import ResponseHeader
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, PathParameter, QueryParameter

from werkplek.bookings.services import bookings_out
from werkplek.errors import read_instant
from werkplek.formats import DATE_TIME_PATTERN
from werkplek.people.models import Role
from werkplek.presence import absences, callback_notes, finder, services
from werkplek.presence import days as person_days
from werkplek.presence.schemas import (
    AbsenceIn,
    AbsenceOut,
    AbsenceWithdrawnOut,
    AbsentPeriodOut,
    BoardOut,
    CallbackNoteIn,
    CallbackNoteOut,
    CallbackNotePatch,
    DayIn,
    DayOut,
    DeskNotRestoredOut,
    KccSearchOut,
    PatternIn,
    PatternOut,
    StatusOut,
    TeamAbsencesOut,
)
from werkplek.web import (
    ClockDep,
    DbDep,
    SettingsDep,
    UserDep,
    login_required,
    provide_user,
    role_required,
)

USER = {"user": Provide(provide_user, sync_to_thread=False)}
HORIZON = (
    "from 31 days ago to `WERKPLEK_PLANNING_HORIZON_DAYS` (default 90) days ahead, counted "
    "from today in Europe/Amsterdam"
)
PersonQuery = Annotated[
    int | None,
    QueryParameter(
        name="person",
        ge=1,
        description="Whose days or pattern (id): a member of a team you lead, or anyone "
        "for administrators; anyone else is 403, someone unknown or inactive 404. Default: "
        "yourself.",
    ),
]
DayPath = Annotated[
    date,
    PathParameter(
        description=f"The day, YYYY-MM-DD, a local date in Europe/Amsterdam; {HORIZON} (else "
        "422 `outside_planning_horizon`).",
    ),
]


class PresenceController(Controller):
    """One's own days and weekly pattern; team leads (for their team) and admins use
    ``?person=``."""

    path = "/api/presence"
    tags = ["presence"]
    guards = [login_required]
    dependencies = USER

    @get("/", summary="My days (or a team member's) from one date to another, at most 31 days")
    async def list_days(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        from_date: Annotated[
            date,
            QueryParameter(
                name="from",
                description=f"First day, YYYY-MM-DD, a local date in Europe/Amsterdam; "
                f"{HORIZON} (else 422 `outside_planning_horizon`).",
            ),
        ],
        to_date: Annotated[
            date,
            QueryParameter(
                name="to",
                description="Last day, YYYY-MM-DD, included; in the same window, not before "
                "`from`; at most 31 days in all, both ends counted (else 422 on `to`).",
            ),
        ],
        person: PersonQuery = None,
    ) -> list[DayOut]:
        return await person_days.days_of(
            db, clock, settings, user, person or user.id, from_date, to_date
        )

    @get("/pattern", summary="My weekly pattern (or a team member's)")
    async def get_pattern(self, db: DbDep, user: UserDep, person: PersonQuery = None) -> PatternOut:
        return await person_days.get_pattern(db, user, person or user.id)

    @put("/pattern", summary="Replace my weekly pattern (or a team member's)")
    async def set_pattern(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        data: JSONBody[PatternIn],
        person: PersonQuery = None,
    ) -> PatternOut:
        return await person_days.set_pattern(db, clock, user, person or user.id, data)

    @post(
        "/copy-week",
        summary="Fill the open half days of the week holding a date from last week",
        description=(
            "Copies last week's half days that were set by hand onto the same weekdays of "
            "the week holding `week`, but only onto half days that have no entry and no desk "
            "booking yet: what was already set this week is kept. A day's reachable hours, "
            "note and backup are copied only onto days without any entry or hours of their "
            "own. Nothing is copied that could not be set by hand: a half day at a site that "
            "no longer takes that work stays as it is, and a backup colleague who is absent "
            "that day (or no longer active) is left out, so the usual backup applies. "
            "Answers the whole week as it is afterwards."
        ),
    )
    async def copy_week(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        week: Annotated[
            date,
            QueryParameter(
                description=f"Any day of the week to fill, YYYY-MM-DD; its Monday and Friday "
                f"must lie {HORIZON} (else 422 `outside_planning_horizon` on `week`).",
            ),
        ],
        person: PersonQuery = None,
    ) -> list[DayOut]:
        person_id = person or user.id
        await person_days.copy_previous_week(db, clock, settings, user, person_id, week)
        days = services.week_of(week)
        return await person_days.days_of(db, clock, settings, user, person_id, days[0], days[-1])

    @post(
        "/absence",
        summary="Report me (or a team member) absent from one date through another",
        description=(
            "Marks both half days of every working day (Monday to Friday) from `first` "
            "through `last` absent, as if each were set by hand: whatever was set for those "
            "days before is replaced, a day's note and backup become those given (none "
            "given: the usual backup), its reachable hours stay. `absence_reason` is "
            "private and only the person themselves gives one (else 403 at "
            "`absence_reason`); a team lead reporting a member keeps the reason the member "
            "gave. With `cancel_desk_bookings` (default true) the desk bookings held for "
            "the person in the period that have not begun are cancelled and the holder is "
            "told; with `decline_invitations` (default true) the meetings in the period "
            "that have not begun the person is invited to and had not declined are "
            "declined for them and each organiser told, as if they had answered; room "
            "bookings are never cancelled here but listed in `room_bookings`. "
            f"Both dates must lie {HORIZON} (else 422 `outside_planning_horizon` at "
            "`first` or `last`); `last` before `first`, or a period without a working day, "
            "is 422; a backup colleague absent on a day of the period is 422 "
            "`backup_absent`; a field visit of the person planned or under way in the "
            "period is 422 `visit_planned` at `first` (cancel it first). Nothing is stored "
            "on an error. The backup given is mailed (`backup_named`); a colleague who was "
            "a day's backup and no longer is, from today on, is told so if they heard they "
            "were (template `backup_dropped`), else the day is taken out of the mail that "
            "was to tell them."
        ),
        status_code=200,
    )
    async def report_absence(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        data: JSONBody[AbsenceIn],
        person: PersonQuery = None,
    ) -> AbsenceOut:
        done = await absences.report_absence(db, clock, settings, user, person or user.id, data)
        cancelled = await bookings_out(db, done.cancelled_desk_bookings)
        declined = await bookings_out(db, done.declined_invitations)
        rooms = await bookings_out(db, done.room_bookings)
        return AbsenceOut(data.first, data.last, done.days, cancelled, declined, rooms)

    @get(
        "/absence",
        summary="My (or a team member's) absences from today on",
        description=(
            "The days marked absent from today through the planning horizon, joined into "
            "periods (consecutive working days; a weekend between them does not end one), "
            "soonest first: what was reported, to check or withdraw. Absent half days of "
            "the usual week are not listed. A period's `absence_reason` is given only to "
            "the person and administrators; for them a different reason starts a new period."
        ),
    )
    async def list_absences(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        person: PersonQuery = None,
    ) -> list[AbsentPeriodOut]:
        periods = await absences.absent_periods(db, clock, settings, user, person or user.id)
        return [absences.period_out(period) for period in periods]

    @delete(
        "/absence",
        summary="Withdraw my (or a team member's) absence from one date through another",
        description=(
            "The absent half days from `first` through `last` go back to the usual week "
            "(desk bookings, then the weekly pattern); half days set to anything else stay. "
            "A day absent as a whole loses the note for colleagues and the backup (which "
            "were about the absence); its reachable hours stay. "
            "The desk bookings the absence cancelled on those days that have not begun are "
            "booked again, the same desk and half day, where every rule of a new booking "
            "still allows it (one confirmation mail for them all); those that cannot be "
            "(the desk was taken or closed since) are listed with the reason. "
            "`restore_desk_bookings=false` leaves them cancelled. The meetings the absence "
            "declined on those days get the person's earlier answer again (accepted, or "
            "not answered yet), each audited and its organiser told, where the meeting is "
            "still active and has not begun, the person is still invited and nobody "
            "answered it since (`restored_invitations`); `restore_invitations=false` leaves "
            "them declined. Same rules for the dates as reporting an absence. A lead or "
            "admin withdrawing someone's absence mails them (`absence_reported`). The "
            "backup taken off those days, from today on, is told they no longer are if they "
            "heard they were (`backup_named`, template `backup_dropped`); else the days are "
            "taken out of the mail that was to tell them, withdrawn when none is left."
        ),
        status_code=200,
    )
    async def withdraw_absence(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        first: Annotated[date, QueryParameter(description="The first day, YYYY-MM-DD.")],
        last: Annotated[date, QueryParameter(description="The last day, YYYY-MM-DD.")],
        person: PersonQuery = None,
        restore_desk_bookings: Annotated[
            bool,
            QueryParameter(description="Book the desks the absence cancelled again (default)."),
        ] = True,
        restore_invitations: Annotated[
            bool,
            QueryParameter(
                description="Give the meetings the absence declined their earlier answer "
                "again (default)."
            ),
        ] = True,
    ) -> AbsenceWithdrawnOut:
        done = await absences.withdraw_absence(
            db,
            clock,
            settings,
            user,
            person or user.id,
            first,
            last,
            restore_desks=restore_desk_bookings,
            restore_invitations=restore_invitations,
        )
        not_restored = done.desks.not_restored
        cancelled = await bookings_out(db, [item.booking for item in not_restored])
        return AbsenceWithdrawnOut(
            first,
            last,
            done.days,
            await bookings_out(db, done.desks.booked),
            [
                DeskNotRestoredOut(booking, item.refusal.code, item.refusal.message)
                for booking, item in zip(cancelled, not_restored, strict=True)
            ],
            await bookings_out(db, done.invitations),
        )

    @get("/{day:date}", summary="Where I work on a date (or a team member), per half day")
    async def get_day(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        day: DayPath,
        person: PersonQuery = None,
    ) -> DayOut:
        return await person_days.get_day(db, clock, settings, user, person or user.id, day)

    @put(
        "/{day:date}",
        summary="Set where I work on a date, my reachable hours and backup",
        description=(
            "Replaces what was said about the day; half days left out go back to the desk "
            "bookings and the weekly pattern. A half day with a field visit of the person "
            "planned or under way cannot be absent (422 `visit_planned` at `parts`, naming "
            "the visit to cancel first). A colleague who becomes the day's backup is mailed "
            "(`backup_named`); one who no longer is, on a day from today on, is told so if "
            "they heard they were (template `backup_dropped`), else the day is taken out of "
            "the mail that was to tell them."
        ),
    )
    async def set_day(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        day: DayPath,
        data: JSONBody[DayIn],
        person: PersonQuery = None,
    ) -> DayOut:
        return await person_days.set_day(db, clock, settings, user, person or user.id, day, data)


class PersonStatusController(Controller):
    path = "/api/people/{person_id:int}/status"
    tags = ["presence"]
    guards = [login_required]
    dependencies = USER

    @get("/", summary="Where a colleague is at an instant (default now) and how to reach them")
    async def status(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        person_id: FromPath[int],
        at: Annotated[
            str | None,
            QueryParameter(
                pattern=DATE_TIME_PATTERN,
                description="The instant, an ISO 8601 date-time with or without seconds "
                "(`2026-12-08T09:00`): with an offset (`Z`, `+01:00`) that instant, without "
                "one a local time in Europe/Amsterdam. Another shape: 400 at `at`; a day or "
                "hour that does not exist: 422 `invalid_time`. "
                f"Default: now. Its day must lie {HORIZON} (else 422 on `at`).",
            ),
        ] = None,
    ) -> StatusOut:
        instant = read_instant(at, "at") if at is not None else None
        return await services.person_status(db, clock, settings, user, person_id, instant)


class KccController(Controller):
    path = "/api/kcc"
    tags = ["presence"]
    guards = [login_required]
    dependencies = USER

    @get(
        "/search",
        summary="Find colleagues by name, team or topic, with status, reachability and backup",
        description=(
            f"The first {finder.SEARCH_LIMIT} matches: people whose name matches first, "
            "by name; then those found by team or topic, reachable now first, then by when "
            "they are next reachable. `X-Total-Count` says how many matched in all; when it "
            "is larger than the list, refine the query. A search that finds nobody suggests "
            "what may have been meant (`suggestions`), as the finder page does."
        ),
        response_headers=[
            ResponseHeader(
                name="X-Total-Count",
                description="How many active people matched, also beyond those listed",
                documentation_only=True,
            )
        ],
    )
    async def search(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        q: Annotated[
            str,
            QueryParameter(
                max_length=100,
                description="Part of a name, team name or topic, in any case (at most 100 "
                "characters; spaces around it are ignored, a run of them inside it counts as "
                "one). Fewer than 2 characters find no one.",
            ),
        ] = "",
    ) -> Response[KccSearchOut]:
        found = await finder.kcc_search(db, clock, user, q)
        return Response(
            KccSearchOut(results=found.statuses, suggestions=found.suggestions),
            headers={"X-Total-Count": str(found.total)},
        )


class TeamPresenceController(Controller):
    path = "/api/teams/{team_id:int}"
    tags = ["presence"]
    guards = [login_required]
    dependencies = USER

    @get("/board", summary="Who of a team is reachable now, and where everyone is that week")
    async def board(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        team_id: FromPath[int],
        day: Annotated[
            date | None,
            QueryParameter(
                name="date",
                description="A day of the week to show, YYYY-MM-DD, a local date in "
                f"Europe/Amsterdam, {HORIZON} (else 422 `outside_planning_horizon`). By "
                "default today, at the weekend the coming Monday.",
            ),
        ] = None,
    ) -> BoardOut:
        return await finder.team_board(db, clock, settings, user, team_id, day)

    @get(
        "/absences",
        summary="Who of a team is absent in the coming weeks",
        description=(
            "Per working day how many of the team's active members are absent (a half day "
            "or more), and each member's absences as periods, from the Monday of the week "
            "holding `from` for `weeks` weeks, ending at the planning horizon: to see "
            "whether enough colleagues stay before agreeing to another holiday. Only the "
            "days set absent count; the absent half days of a usual week (a part-timer's "
            "day off) do not. For the team's leads, team leads and the KCC (who see "
            "absences on the team board too) and administrators; anyone else gets 403. A "
            "period's `absence_reason` only for administrators."
        ),
    )
    async def team_absences(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        team_id: FromPath[int],
        start: Annotated[
            date | None,
            QueryParameter(
                name="from",
                description="A day of the first week, YYYY-MM-DD; its Monday must lie "
                f"{HORIZON} (else 422 `outside_planning_horizon`). By default today, at the "
                "weekend the coming Monday.",
            ),
        ] = None,
        weeks: Annotated[
            int,
            QueryParameter(
                description=f"How many weeks, 1 to {absences.TEAM_WEEKS_MAX}.",
                ge=1,
                le=absences.TEAM_WEEKS_MAX,
            ),
        ] = absences.TEAM_WEEKS,
    ) -> TeamAbsencesOut:
        return await absences.team_absences(db, clock, settings, user, team_id, start, weeks)


class CallbackNotesController(Controller):
    path = "/api/callback-notes"
    tags = ["presence"]
    guards = [login_required]
    dependencies = USER

    @post(
        "/", summary="Leave a callback note for a colleague (KCC)", guards=[role_required(Role.KCC)]
    )
    async def create(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[CallbackNoteIn]
    ) -> CallbackNoteOut:
        return await callback_notes.create_callback_note(db, clock, user, data)

    @get("/", summary="Callback notes for me; open ones unless include_done")
    async def mine(
        self,
        db: DbDep,
        user: UserDep,
        include_done: Annotated[
            bool,
            QueryParameter(
                description="`true`: also the notes marked done, after the open ones. "
                "Default `false`: open notes only. Newest first, at most 200.",
            ),
        ] = False,
    ) -> list[CallbackNoteOut]:
        return await callback_notes.callback_notes_for(db, user, include_done=include_done)

    @get("/sent", summary="Callback notes I left (KCC)", guards=[role_required(Role.KCC)])
    async def sent(self, db: DbDep, user: UserDep) -> list[CallbackNoteOut]:
        return await callback_notes.callback_notes_created_by(db, user)

    @get("/{note_id:int}", summary="One callback note (its addressee or writer)")
    async def one(self, db: DbDep, user: UserDep, note_id: FromPath[int]) -> CallbackNoteOut:
        return await callback_notes.get_callback_note(db, user, note_id)

    @patch("/{note_id:int}", summary="Mark a callback note done or open again (its addressee)")
    async def update(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        note_id: FromPath[int],
        data: JSONBody[CallbackNotePatch],
    ) -> CallbackNoteOut:
        return await callback_notes.set_callback_note_done(db, clock, user, note_id, data.done)

    @delete("/{note_id:int}", summary="Remove a callback note left by mistake (its writer)")
    async def remove(
        self, db: DbDep, clock: ClockDep, user: UserDep, note_id: FromPath[int]
    ) -> None:
        await callback_notes.delete_callback_note(db, clock, user, note_id)


ROUTES = [
    PresenceController,
    PersonStatusController,
    KccController,
    TeamPresenceController,
    CallbackNotesController,
]
