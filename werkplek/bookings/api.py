"""JSON API: /api/bookings, /api/bookings/team-day, /api/availability,
/api/favourite-desks and /api/waitlist."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import msgspec
from litestar import Controller, delete, get, patch, post, put
from litestar.di import Provide
from litestar.params import FromPath, JSONBody, QueryParameter
from litestar.status_codes import HTTP_200_OK, HTTP_201_CREATED

from werkplek.bookings import (
    alternatives,
    favourites,
    participants,
    series_changes,
    services,
    team_days,
    waitlist,
)
from werkplek.bookings.availability import (
    day_windows,
    desk_availability,
    require_floor_at_site,
    room_availability,
)
from werkplek.bookings.models import BookingStatus, ParticipantResponse
from werkplek.bookings.schemas import (
    AvailabilityOut,
    BookingIn,
    BookingOut,
    BookingsCreated,
    DeclineIn,
    FavouriteDeskOut,
    MoveIn,
    ParticipantsIn,
    RescheduleIn,
    ResponseIn,
    SeriesChangedOut,
    TeamDayIn,
    TeamDayOut,
    WaitIn,
    WaitOut,
)
from werkplek.errors import DomainError, InvalidInput
from werkplek.i18n import _
from werkplek.openapi import conflict, rule_broken
from werkplek.people.models import Role
from werkplek.rooms.models import Amenity, SafetyFeature, SpaceKind
from werkplek.web import (
    ClockDep,
    DbDep,
    SettingsDep,
    UserDep,
    login_required,
    provide_user,
    role_required,
)

ALTERNATIVES = (
    '`{"rooms": [{space_id, name, capacity, floor, requires_approval}], "times": '
    "[{start, end, local_start, local_end}]}`: up to three other rooms of the same site and "
    "kind free for all that time that hold the people (a resident room only with every "
    "safety feature of the room asked for; the fewest seats first, then those on the same "
    "floor), and up to three other times that day, as long, that the room is "
    "free (the nearest to the start asked for first), each bookable under the same rules "
    "(a room with `requires_approval` makes a request for facilities to approve)."
)
NOT_PENDING = conflict("The booking is not waiting for approval (`not_pending`).")


class BookingsController(Controller):
    path = "/api/bookings"
    tags = ["bookings"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Book a desk (date + day part) or a room (start + end), once or weekly",
        description=(
            "Give `booked_for_id` to book for a colleague (team leads for their team, "
            "KCC and facilities for anyone). A room booking may invite `participants` "
            "(person ids): each gets an invitation by mail with the meeting's iCalendar "
            "request, and answers it (`POST /api/bookings/{id}/response`); they and the "
            "person it is for must fit in the room (422 `over_capacity` at `participants`). "
            "With `recurrence` every occurrence that can be "
            "booked is booked and the others are listed under `skipped` with the reason. "
            "Broken rules answer 422 with a stable `error` code; an overlap answers 409 "
            "`booking_conflict` with the conflicting `start` and `end` in `details`. "
            "A single room booking refused as taken (409 `booking_conflict`) or too small "
            "(422 `over_capacity`) offers what can be booked instead in "
            f"`details.alternatives`: {ALTERNATIVES}"
        ),
        responses={
            **conflict(
                "The space is already booked for part of the time (`booking_conflict`): "
                "`details` holds the conflicting booking's `start` and `end`, also in the "
                "site's local time (`local_start`, `local_end`), and for a room "
                f"`alternatives`: {ALTERNATIVES}"
            ),
            **rule_broken(
                "A business rule says no; `error` names the rule and `field` the input. "
                "A room too small for the people (`over_capacity`) has its `capacity` in "
                f"`details`, and `alternatives`: {ALTERNATIVES}"
            ),
        },
    )
    async def create_booking(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        data: JSONBody[BookingIn],
    ) -> BookingsCreated:
        try:
            result = await services.create_booking(db, clock, user, data)
        except DomainError as exc:
            if alternatives.offers_alternatives(exc, data):
                await db.rollback()  # nothing of the refused booking stays
                offered = await alternatives.room_alternatives(db, clock, user, data)
                exc.params["alternatives"] = msgspec.to_builtins(offered)
            raise
        return BookingsCreated(
            bookings=await services.bookings_out(
                db, result.created, grace=settings.no_show_grace, known=result.known
            ),
            skipped=result.skipped,
            series_id=result.series.id if result.series else None,
        )

    @get(
        "/",
        summary="Bookings: my own by default; by person, site or space for those allowed",
        description=(
            "Without `person`, `site` or `space` this lists the bookings made for or by "
            "you. With them, facilities see every booking, team leads their team's and "
            "everyone else their own. From today on unless `from` says otherwise."
        ),
    )
    async def list_bookings(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        person_id: Annotated[
            int | None,
            QueryParameter(
                name="person",
                description="Only the bookings held for this person (id): yourself, a member "
                "of a team you lead, or anyone for facilities; anyone else is 403 on `person`.",
            ),
        ] = None,
        site_id: Annotated[
            int | None,
            QueryParameter(name="site", description="Only the bookings at this site (id)."),
        ] = None,
        space_id: Annotated[
            int | None,
            QueryParameter(name="space", description="Only the bookings of this space (id)."),
        ] = None,
        from_date: Annotated[
            date | None,
            QueryParameter(
                name="from",
                description="First day, YYYY-MM-DD, a local date in Europe/Amsterdam: "
                "bookings that end after it begins. Default: today.",
            ),
        ] = None,
        to_date: Annotated[
            date | None,
            QueryParameter(
                name="to",
                description="Last day, YYYY-MM-DD, a local date in Europe/Amsterdam: "
                "bookings that start before it ends. Default: no last day. Before `from` "
                "(today when not given): 422 on `to`.",
            ),
        ] = None,
        status: Annotated[
            list[BookingStatus] | None,
            QueryParameter(
                description="Only bookings in one of these states; repeatable "
                "(`status=pending&status=confirmed`). Default: every state, cancelled, "
                "released, declined and lapsed ones too.",
            ),
        ] = None,
        limit: Annotated[
            int,
            QueryParameter(
                ge=1,
                le=1000,
                description="At most this many bookings, 1 to 1000, in order of start time.",
            ),
        ] = 200,
        offset: Annotated[
            int, QueryParameter(ge=0, description="Skip this many bookings first, for paging.")
        ] = 0,
    ) -> list[BookingOut]:
        query = services.BookingQuery(
            person_id=person_id,
            site_id=site_id,
            space_id=space_id,
            first_day=from_date,
            last_day=to_date,
            statuses=tuple(s.value for s in status or ()),
            limit=limit,
            offset=offset,
        )
        bookings = await services.list_bookings(db, clock, user, query)
        return await services.bookings_out(db, bookings, grace=settings.no_show_grace)

    @get(
        "/{booking_id:int}",
        summary="One booking (404 when it is not yours to see, nor one you are invited to)",
    )
    async def get_booking(
        self, db: DbDep, settings: SettingsDep, user: UserDep, booking_id: FromPath[int]
    ) -> BookingOut:
        booking = await participants.get_booking_to_read(db, user, booking_id)
        return (await services.bookings_out(db, [booking], grace=settings.no_show_grace))[0]

    @get(
        "/invitations",
        summary="The meetings (room bookings) you are invited to that have not ended",
        description=(
            "Active room bookings that list you among their `participants`, soonest first "
            "(at most 100); your answer is under `participants`."
        ),
    )
    async def invitations(
        self, db: DbDep, clock: ClockDep, settings: SettingsDep, user: UserDep
    ) -> list[BookingOut]:
        bookings = await participants.invitations(db, clock, user)
        return await services.bookings_out(db, bookings, grace=settings.no_show_grace)

    @put(
        "/{booking_id:int}/participants",
        status_code=HTTP_200_OK,
        summary="Replace the colleagues invited to a room booking",
        description=(
            "The list replaces the one before, by the rules of `participants` of a new "
            "booking (422 `unknown_person`, `over_capacity` or `wrong_booking_kind` at "
            "`participants`; 422 `in_the_past` once it is over). Whoever may cancel the "
            "booking may change it. Those added get an invitation by mail, those taken off "
            "a cancellation (METHOD:CANCEL); those who stay keep their answer. A change "
            "raises the booking's `sequence`."
        ),
        responses=conflict(
            "The booking is cancelled, released, declined or lapsed (`booking_not_active`)."
        ),
    )
    async def replace_participants(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
        data: JSONBody[ParticipantsIn],
    ) -> BookingOut:
        booking = await participants.replace_participants(
            db, clock, user, booking_id, data.participants
        )
        return (await services.bookings_out(db, [booking], grace=settings.no_show_grace))[0]

    @post(
        "/{booking_id:int}/response",
        status_code=HTTP_200_OK,
        summary="Accept or decline a meeting you are invited to",
        description=(
            "Only a participant answers (404 for anyone else), while the booking is active "
            "(409 `booking_not_active`) and not over (422 `in_the_past`); a later answer "
            "replaces the earlier one. The person the booking is for gets a short mail of "
            "each answer (`meeting_response`); the same answer again changes nothing."
        ),
        responses=conflict(
            "The booking is cancelled, released, declined or lapsed (`booking_not_active`)."
        ),
    )
    async def respond(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
        data: JSONBody[ResponseIn],
    ) -> BookingOut:
        booking = await participants.respond_to_invitation(
            db, clock, user, booking_id, ParticipantResponse(data.response)
        )
        return (await services.bookings_out(db, [booking], grace=settings.no_show_grace))[0]

    @delete(
        "/{booking_id:int}",
        summary="Cancel a booking; with series=true also its later occurrences",
        responses=conflict(
            "The booking is cancelled, released, declined or lapsed (`booking_not_active`), or "
            "checked in and under way (`checked_in`: check out instead)."
        ),
    )
    async def cancel_booking(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        booking_id: FromPath[int],
        series: Annotated[
            bool,
            QueryParameter(
                description="`true`: also cancel the later active occurrences of the "
                "booking's weekly series (those that start after it); no effect on a booking "
                "without a series. Default `false`: this booking alone.",
            ),
        ] = False,
    ) -> None:
        await services.cancel_booking(db, clock, user, booking_id, whole_series=series)

    @patch(
        "/{booking_id:int}",
        status_code=HTTP_200_OK,
        summary="Change a room booking's date, start, end or room",
        description=(
            "Give what changes (`date`; `start`, `end` as local HH:MM or HH:MM:SS at the "
            "site, in whole minutes, else 422 `invalid_time`; `space_id`); what is left out "
            "stays as it is. Answers the booking as it is now. "
            "Before it begins the old booking is cancelled and a new one (a new `id`) booked "
            "with the same holder, subject and attendees by every rule of a new booking; the "
            "new time may overlap the old one. A change the rules refuse (422 as for a new "
            "booking, 409 `booking_conflict`) leaves the booking as it was, as does one that "
            "would make it a request for approval (422 `needs_approval`). Once under way "
            "only `end` can change (422 `under_way`), in place: the same booking, checked "
            "in as it was, ends earlier or later (a room that needs approval is extended only "
            "by facilities). 422 `unchanged` when nothing would change, "
            "`not_a_room_booking` for a desk booking (move it instead), `in_the_past` when it "
            "is over. Whoever may cancel the booking may change it; a checked-in one only the "
            "person it is for, or facilities (403 `not_the_holder`). The person it is for "
            "gets one mail saying from when to when it changed; the `participants` come "
            "along (422 `over_capacity` at `participants` when the new room cannot hold "
            "them), answer again, and get the change with its iCalendar request. The audit "
            "log records a `reschedule` with the old and new room and times."
        ),
        responses=conflict(
            "The room is taken then (`booking_conflict`), or the booking is cancelled, "
            "released, declined or lapsed (`booking_not_active`)."
        ),
    )
    async def reschedule(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
        data: JSONBody[RescheduleIn],
    ) -> BookingOut:
        result = await services.reschedule_room_booking(db, clock, user, booking_id, data)
        return (await services.bookings_out(db, result.created, grace=settings.no_show_grace))[0]

    @patch(
        "/{booking_id:int}/series",
        status_code=HTTP_200_OK,
        summary="Change a weekly room booking from this date on",
        description=(
            "Give the new `start`, `end` or `space_id` (as for changing one booking; `date` "
            "only as the booking's own: a series keeps its days, 422 "
            "`series_keeps_its_days`). This booking and every later active date of its "
            "weekly series change, each by every rule of a change. This booking must change "
            "or nothing does (its refusal answers, as for one booking); a later date that "
            "cannot change (the room taken or closed that day, ...) keeps its old time and "
            "room and is listed under `skipped` with the reason. A booking without a series "
            "changes alone. Answers the bookings as they are now (changed bookings get new "
            "`id`s and stay in the series). The person it is for gets one mail for the whole "
            "change, and so does each participant; the audit log records a `reschedule` of "
            "each date."
        ),
        responses=conflict(
            "The room is taken at this booking's new time (`booking_conflict`), or the "
            "booking is cancelled, released, declined or lapsed (`booking_not_active`)."
        ),
    )
    async def reschedule_series(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
        data: JSONBody[RescheduleIn],
    ) -> SeriesChangedOut:
        result = await series_changes.reschedule_series(db, clock, user, booking_id, data)
        return SeriesChangedOut(
            bookings=await services.bookings_out(db, result.changed, grace=settings.no_show_grace),
            skipped=result.skipped,
        )

    @post(
        "/{booking_id:int}/check-in",
        status_code=HTTP_200_OK,
        summary="Check in; from 30 minutes before the start until the end",
        description=(
            "Only the person the booking is for checks in; whoever else may see the booking "
            "(who booked it for them, their team lead, facilities) is refused with 403 "
            "`not_the_holder`."
        ),
        responses=conflict(
            "The booking is cancelled, released, declined or lapsed (`booking_not_active`), "
            "or still waits for approval (`awaiting_approval`)."
        ),
    )
    async def check_in(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
    ) -> BookingOut:
        booking = await services.check_in(db, clock, user, booking_id)
        return (await services.bookings_out(db, [booking], grace=settings.no_show_grace))[0]

    @post(
        "/{booking_id:int}/move",
        status_code=HTTP_201_CREATED,
        summary="Move a desk booking to another desk for the same date and day part",
        description=(
            "Answers the new booking. Before it begins the old one is cancelled. Once it is "
            "checked in and under way the old one is checked out at the minute of the move "
            "(what was used stays on record) and the new one runs from then to the old end, "
            "already checked in, so it is never released as a no-show; a desk that needs "
            "approval is then refused (`needs_approval`). Whoever may cancel the booking may "
            "move it until it is checked in; a checked-in one only the person it is for, or "
            "facilities, as for check-out (403 `not_the_holder`). A move the rules refuse (422 as "
            "for a new booking, `same_desk`, `not_a_desk_booking`, `not_a_desk`) or that meets "
            "another booking leaves the old booking as it was. The person it is for gets one "
            "mail saying from which desk to which it moved, who moved it when it was someone "
            "else, and the optional `reason` (at most 200 characters; a longer one is refused "
            "with 422 `reason_too_long` before anything changes). The audit log records a "
            "`move` of the old booking with the spaces it moved from and to."
        ),
        responses=conflict(
            "The new desk is taken then (`booking_conflict`), or the booking is cancelled, "
            "released, declined or lapsed (`booking_not_active`)."
        ),
    )
    async def move(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
        data: JSONBody[MoveIn],
    ) -> BookingOut:
        result = await services.move_desk_booking(
            db, clock, user, booking_id, data.space_id, data.reason
        )
        return (await services.bookings_out(db, result.created, grace=settings.no_show_grace))[0]

    @post(
        "/{booking_id:int}/check-out",
        status_code=HTTP_200_OK,
        summary="Check out: a checked-in booking ends now and frees the rest of its time",
        description=(
            "The person the booking is for checks out, and facilities for one who left "
            "without (who is then told by mail); whoever else may see the booking (who "
            "booked it for them, their team lead) is refused with 403 `not_the_holder`. 422 "
            "`not_begun` before the start (cancel instead), `in_the_past` after it."
        ),
        responses=conflict(
            "The booking was not checked in (`not_checked_in`: cancel it instead), or is "
            "cancelled, released, declined or lapsed (`booking_not_active`)."
        ),
    )
    async def check_out(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
    ) -> BookingOut:
        booking = await services.check_out(db, clock, user, booking_id)
        return (await services.bookings_out(db, [booking], grace=settings.no_show_grace))[0]

    @post(
        "/{booking_id:int}/approve",
        status_code=HTTP_200_OK,
        summary="Approve a pending booking (facilities)",
        guards=[role_required(Role.FACILITIES)],
        responses=NOT_PENDING,
    )
    async def approve(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
    ) -> BookingOut:
        booking = await services.approve_booking(db, clock, user, booking_id)
        return (await services.bookings_out(db, [booking], grace=settings.no_show_grace))[0]

    @post(
        "/{booking_id:int}/decline",
        status_code=HTTP_200_OK,
        summary="Decline a pending booking (facilities); frees the slot",
        description=(
            'An optional body `{"reason": "…"}` (at most 300 characters, else 422 '
            "`reason_too_long` before anything changes) is put in the mail that tells the "
            "requester."
        ),
        guards=[role_required(Role.FACILITIES)],
        responses=NOT_PENDING,
    )
    async def decline(
        self,
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
        booking_id: FromPath[int],
        data: JSONBody[DeclineIn | None] = None,
    ) -> BookingOut:
        reason = data.reason if data is not None else ""
        booking = await services.decline_booking(db, clock, user, booking_id, reason)
        return (await services.bookings_out(db, [booking], grace=settings.no_show_grace))[0]


class AvailabilityController(Controller):
    path = "/api/availability"
    tags = ["bookings"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get(
        "/",
        summary="Free desks per day part, or rooms with their busy and free times, on a day",
        description=(
            "`kind` (repeatable) chooses desks (`desk`, `quiet_desk`; the default is both) "
            "or rooms (`meeting_room`, `resident_room`). Both can be filtered by `amenity` "
            "(repeatable: all must be present), rooms also by `min_capacity` and `safety`, "
            "and both by `floor`, which must be one of the site's (else 422 "
            "`floor_not_at_site`)."
        ),
    )
    async def availability(
        self,
        db: DbDep,
        clock: ClockDep,
        user: UserDep,
        site_id: Annotated[
            int,
            QueryParameter(
                name="site",
                description="The site (id); an unknown one, or one out of use, is 404 on `site`.",
            ),
        ],
        day: Annotated[
            date,
            QueryParameter(
                name="date",
                description="The day, YYYY-MM-DD: a local date at the site (in its time "
                "zone, Europe/Amsterdam unless set otherwise). Any day is answered, also one "
                "in the past or beyond how far ahead one may book.",
            ),
        ],
        kind: Annotated[
            list[SpaceKind] | None,
            QueryParameter(
                description="Kinds of space; repeatable (`kind=desk&kind=quiet_desk`). Desk "
                "kinds or room kinds, not both (422 `mixed_kinds`). Default: both desk kinds.",
            ),
        ] = None,
        floor_id: Annotated[
            int | None,
            QueryParameter(
                name="floor",
                description="Only the spaces on this floor (id), one of the site's (else 422 "
                "`floor_not_at_site`).",
            ),
        ] = None,
        min_capacity: Annotated[
            int | None,
            QueryParameter(
                ge=1,
                le=500,
                description="Rooms only: those for at least this many people, 1 to 500. "
                "Ignored when asking for desks.",
            ),
        ] = None,
        amenity: Annotated[
            list[Amenity] | None,
            QueryParameter(
                description="Only spaces with every amenity given; repeatable "
                "(`amenity=screen&amenity=docking`).",
            ),
        ] = None,
        safety: Annotated[
            list[SafetyFeature] | None,
            QueryParameter(
                description="Rooms only: those with every safety feature given; repeatable. "
                "Ignored when asking for desks.",
            ),
        ] = None,
    ) -> AvailabilityOut:
        kinds = kind or list(services.DESK_KINDS)
        if all(k.is_desk for k in kinds):
            desks = await desk_availability(
                db,
                clock,
                user,
                site_id,
                day,
                floor_id=floor_id,
                kinds=kinds,
                amenities=amenity or (),
            )
            if floor_id is not None and not desks.desks:
                await require_floor_at_site(db, site_id, floor_id)
            return AvailabilityOut(
                site_id=site_id,
                date=day,
                kinds=kinds,
                open=desks.day.is_open,
                reason=desks.day.reason,
                day_parts=desks.windows,
                cap=desks.cap,
                desks=desks.desks,
            )
        if any(k.is_desk for k in kinds):
            raise InvalidInput(
                _("Ask for desks or for rooms, not both at once."), field="kind", code="mixed_kinds"
            )
        rooms = await room_availability(
            db,
            clock,
            user,
            site_id,
            day,
            kinds=kinds,
            floor_id=floor_id,
            min_capacity=min_capacity,
            amenities=amenity or (),
            safety_features=safety or (),
        )
        if floor_id is not None and not rooms.rooms:
            await require_floor_at_site(db, site_id, floor_id)
        return AvailabilityOut(
            site_id=site_id,
            date=day,
            kinds=kinds,
            open=rooms.day.is_open,
            reason=rooms.day.reason,
            day_parts=day_windows(rooms.site, rooms.day),
            rooms=rooms.rooms,
        )


class FavouriteDesksController(Controller):
    path = "/api/favourite-desks"
    tags = ["bookings"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="My favourite desks (the booking page lists them first)")
    async def list_favourites(self, db: DbDep, user: UserDep) -> list[FavouriteDeskOut]:
        return await favourites.list_favourites(db, user)

    @put(
        "/{space_id:int}",
        summary=(
            f"Keep a desk as a favourite (at most {favourites.MAX_FAVOURITES}); "
            "answers my favourites"
        ),
        description=(
            "Keeping a favourite twice changes nothing. A room answers 422 `not_a_desk`, an "
            "unknown space 422 `unknown_space`, a desk one could not book 422 "
            "`space_inactive`, `site_inactive` or `restricted_space` (reserved for teams one "
            "is not in), one more than the most 422 `too_many_favourites`."
        ),
    )
    async def add_favourite(
        self, db: DbDep, clock: ClockDep, user: UserDep, space_id: FromPath[int]
    ) -> list[FavouriteDeskOut]:
        await favourites.add_favourite(db, clock, user, space_id)
        return await favourites.list_favourites(db, user)

    @delete("/{space_id:int}", summary="No longer keep a desk as a favourite")
    async def remove_favourite(self, db: DbDep, user: UserDep, space_id: FromPath[int]) -> None:
        await favourites.remove_favourite(db, user, space_id)


class WaitlistController(Controller):
    path = "/api/waitlist"
    tags = ["bookings"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/", summary="My places on the desk waitlist, soonest first")
    async def list_waits(self, db: DbDep, user: UserDep) -> list[WaitOut]:
        return await waitlist.my_waits(db, user)

    @post(
        "/",
        status_code=HTTP_201_CREATED,
        summary="Wait for a desk where none is free for a date and day part",
        description=(
            "At a site, or on one of its floors with `floor_id`. As soon as a desk there is "
            "free for me (a cancellation, a no-show released), the scheduler books it for "
            "the first waiting, with every booking rule, and mails the confirmation; a wait "
            "still open when its day part begins ends with a mail. Refused with 422: an "
            "unknown site `unknown_site`, a floor elsewhere `floor_not_at_site`, a day that "
            "cannot be booked `date_not_bookable`, the site closed then `site_closed`, a day "
            "part that has begun `day_part_begun`, no desk I could book there `no_desks`, a "
            "desk I hold then `already_has_desk`."
        ),
        responses=conflict(
            "A desk is free then: book it instead (`desk_free`); or I wait for this date "
            "and day part (or one overlapping it) already (`already_waiting`)."
        ),
    )
    async def join_waitlist(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[WaitIn]
    ) -> WaitOut:
        return await waitlist.join_waitlist(db, clock, user, data)

    @delete("/{wait_id:int}", summary="Leave a place on the desk waitlist")
    async def leave_waitlist(self, db: DbDep, user: UserDep, wait_id: FromPath[int]) -> None:
        await waitlist.leave_waitlist(db, user, wait_id)


class TeamDayController(Controller):
    path = "/api/bookings/team-day"
    tags = ["bookings"]
    guards = [login_required]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @post(
        "/",
        status_code=HTTP_200_OK,
        summary="Book desks close together for a team's members on one date and day part",
        description=(
            "For team leads (and those who book for anyone): each chosen member (default: "
            "every active member) who holds no desk then gets a free desk, those of one zone "
            "first, then of one floor, booked as `POST /api/bookings` books it for them "
            "(every rule applies, each member gets the usual e-mail). Members holding a desk "
            "then are listed under `already_seated`; those who could not be booked under "
            "`not_booked` with the rule's `error` code (`capacity_cap_reached`, "
            "`no_free_desk`, ...). Sent twice, nothing is booked twice. Someone who may not "
            "plan the team answers 403 `not_team_lead`; an unknown team 422 `unknown_team`, "
            "a date that cannot be booked 422 `too_far_ahead`, `in_the_past` or "
            "`site_closed` on `date`, a non-member 422 `not_a_member` on `person_ids`."
        ),
    )
    async def book_team_day(
        self, db: DbDep, clock: ClockDep, user: UserDep, data: JSONBody[TeamDayIn]
    ) -> TeamDayOut:
        return await team_days.book_team_day(db, clock, user, data)


ROUTES = [
    BookingsController,
    AvailabilityController,
    FavouriteDesksController,
    WaitlistController,
    TeamDayController,
]
