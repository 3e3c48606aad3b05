"""Presence API shapes: days, weekly patterns, status, KCC finder, team board, callback notes."""

from __future__ import annotations

import datetime as dt
from datetime import date, datetime, time
from typing import Annotated

import msgspec

from werkplek.bookings.schemas import BookingOut
from werkplek.presence.models import WorkKind
from werkplek.rooms.services import DayPart

Area = Annotated[str, msgspec.Meta(max_length=120)]
Reason = Annotated[str, msgspec.Meta(max_length=200)]
Note = Annotated[str, msgspec.Meta(max_length=200)]
Phone = Annotated[
    str, msgspec.Meta(min_length=1, max_length=40, pattern=r"^[+0-9 ()-]*[0-9][+0-9 ()-]*$")
]


# --- input --------------------------------------------------------------------------------


class PartIn(msgspec.Struct, forbid_unknown_fields=True):
    """Where one half day (or, with ``day``, the whole day) is spent."""

    day_part: DayPart
    kind: WorkKind
    site_id: int | None = None
    area: Area | None = None
    absence_reason: Reason | None = None


class DayIn(msgspec.Struct, forbid_unknown_fields=True):
    """A whole day: day parts left out go back to the booking or the weekly pattern."""

    parts: list[PartIn] = msgspec.field(default_factory=list)
    reachable_from: time | None = None
    reachable_until: time | None = None
    note: Note = ""
    backup_id: int | None = None


class AbsencePeriod(msgspec.Struct, forbid_unknown_fields=True):
    """From one date through another, both local dates in Europe/Amsterdam."""

    first: date
    last: date


class AbsenceIn(AbsencePeriod, forbid_unknown_fields=True):
    """Absent from one date through another (a holiday, a course, leave): every working
    day of the period, both half days."""

    absence_reason: Reason | None = None
    note: Note = ""
    backup_id: int | None = None
    cancel_desk_bookings: bool = True
    decline_invitations: bool = True


class PatternSlotIn(msgspec.Struct, forbid_unknown_fields=True):
    kind: WorkKind
    site_id: int | None = None
    area: Area | None = None


class PatternDayIn(msgspec.Struct, forbid_unknown_fields=True):
    weekday: Annotated[int, msgspec.Meta(ge=0, le=6)]
    morning: PatternSlotIn | None = None
    afternoon: PatternSlotIn | None = None
    reachable_from: time | None = None
    reachable_until: time | None = None


class PatternIn(msgspec.Struct, forbid_unknown_fields=True):
    """The whole usual week; weekdays left out have no pattern."""

    days: list[PatternDayIn] = msgspec.field(default_factory=list)


class CallbackNoteIn(msgspec.Struct, forbid_unknown_fields=True):
    person_id: int
    question: Annotated[str, msgspec.Meta(min_length=1, max_length=1000)]
    callback_number: Phone
    resident_name: Annotated[str, msgspec.Meta(max_length=200)] = ""


class CallbackNotePatch(msgspec.Struct, forbid_unknown_fields=True):
    done: bool


# --- output -------------------------------------------------------------------------------


class PersonRef(msgspec.Struct):
    id: int
    name: str


class TeamRef(msgspec.Struct):
    id: int
    name: str


class Channels(msgspec.Struct):
    phone: str | None
    mobile: str | None
    chat_handle: str | None


class PartOut(msgspec.Struct):
    """One half day as the viewer may see it.

    ``kind`` is a work kind, ``not_in`` (a colleague sees only that someone is not
    at a municipal location) or ``unknown``; ``source`` says where it came from:
    ``entry``, ``booking``, ``pattern``, ``visit`` (a field visit under way; a colleague
    sees ``entry``) or ``none``.
    ``visit_until`` is the planned end of that field visit. ``meeting_until``: someone
    in a meeting now (a room booking they hold or are invited to and did not decline, with
    any that follow on) until then; only for the instant of a status or board, never for a
    planned half day, nor for someone absent or on a field visit, and never the meeting's
    subject or room.
    """

    day_part: str
    kind: str
    source: str
    site_id: int | None = None
    site_name: str | None = None
    desk: str | None = None
    area: str | None = None
    absence_reason: str | None = None
    visit_until: datetime | None = None
    meeting_until: datetime | None = None


class DayOut(msgspec.Struct):
    """A day of one person. ``hours_source`` says whether the reachable hours were set for
    this day (``day``), come from the weekly pattern (``pattern``) or are the ``default``;
    ``backup_source`` whether the backup was chosen for this day (``day``) or is the
    person's usual backup (``person``); ``set_by`` who else than the person last set its
    half days (their team lead or an admin), if anyone did."""

    person: PersonRef
    date: date
    parts: list[PartOut]
    reachable_from: time
    reachable_until: time
    hours_source: str
    note: str
    backup: PersonRef | None
    backup_source: str
    set_by: PersonRef | None = None


class PatternSlotOut(msgspec.Struct):
    kind: WorkKind
    site_id: int | None
    site_name: str | None
    area: str | None


class PatternDayOut(msgspec.Struct):
    weekday: int
    morning: PatternSlotOut | None
    afternoon: PatternSlotOut | None
    reachable_from: time | None
    reachable_until: time | None


class PatternOut(msgspec.Struct):
    person: PersonRef
    days: list[PatternDayOut]


class AbsentPeriodOut(msgspec.Struct):
    """Working days marked absent one after another, from ``first`` through ``last``
    (``days`` of them; weekends between do not end a period). ``absence_reason`` only
    for those who see it, for whom a different reason starts a new period."""

    first: date
    last: date
    days: int
    absence_reason: str | None


class TeamAbsenceDayOut(msgspec.Struct):
    date: date
    absent: int  # members absent that working day, a half day or more


class TeamAbsenceMemberOut(msgspec.Struct):
    person: PersonRef
    periods: list[AbsentPeriodOut]


class TeamAbsencesOut(msgspec.Struct):
    """A team's absences from ``first`` (a Monday) through ``last``: per working day how
    many of its ``size`` active members are absent, and the members with an absence."""

    team: TeamRef
    first: date
    last: date
    size: int
    days: list[TeamAbsenceDayOut]
    members: list[TeamAbsenceMemberOut]


class AbsenceOut(msgspec.Struct):
    """What reporting an absence did: ``days`` are the working days now marked absent,
    ``cancelled_desk_bookings`` the desk bookings it cancelled, ``declined_invitations``
    the meetings it declined for the person, ``room_bookings`` the rooms still held for
    the person in the period (meetings to hand over or cancel)."""

    first: date
    last: date
    days: list[date]
    cancelled_desk_bookings: list[BookingOut]
    declined_invitations: list[BookingOut]
    room_bookings: list[BookingOut]


class DeskNotRestoredOut(msgspec.Struct):
    """A desk booking the absence cancelled that could not be booked again (``booking``,
    cancelled), and why: the rule's code (``error``, such as ``booking_conflict`` when the
    desk was taken since) and its message."""

    booking: BookingOut
    error: str
    message: str


class AbsenceWithdrawnOut(msgspec.Struct):
    """What withdrawing an absence did: ``days`` are the days that had an absent half day
    and follow the bookings and the usual week again, ``restored_desk_bookings`` the desks
    the absence had cancelled that are booked again (new bookings), ``desks_not_restored``
    those that could not be, ``restored_invitations`` the meetings the absence had declined
    that have the person's earlier answer again."""

    first: date
    last: date
    days: list[date]
    restored_desk_bookings: list[BookingOut]
    desks_not_restored: list[DeskNotRestoredOut]
    restored_invitations: list[BookingOut]


class BackupOut(msgspec.Struct):
    id: int
    name: str
    reachable_now: bool
    next_reachable: datetime | None
    channels: Channels
    reach_by: list[str]  # the channels to try now, best first; none when not reachable


class StatusOut(msgspec.Struct):
    """Where someone is at an instant, whether and how they can be reached, and when next.

    ``until_visit_ends``: reachable until the field visit under way ends and no longer,
    so ``until`` is its planned end, ``location.visit_until`` (a visit that ends after
    the day's reachable hours); the KCC finder then says that end once.
    """

    person: PersonRef
    teams: list[str]
    topics: list[str]
    at: datetime
    day_part: str
    location: PartOut
    reachable_now: bool
    reach_by: list[str]
    until: datetime | None
    next_reachable: datetime | None
    note: str
    channels: Channels
    backup: BackupOut | None
    until_visit_ends: bool = False


class KccSearchOut(msgspec.Struct):
    """What a KCC search found."""

    results: Annotated[
        list[StatusOut],
        msgspec.Meta(description="The first matches, each with their status now, best first."),
    ]
    suggestions: Annotated[
        list[str],
        msgspec.Meta(
            description="Only when nobody matched: up to three names, words of names, topics "
            'or teams spelled almost like `q` ("Janssen" for "jansen"), closest first, '
            "each of which finds someone. Empty when anyone matched."
        ),
    ]


class BoardDayOut(msgspec.Struct):
    date: date
    morning: PartOut
    afternoon: PartOut


class BoardMemberOut(msgspec.Struct):
    person: PersonRef
    is_lead: bool
    reachable_now: bool
    next_reachable: datetime | None
    now: PartOut
    channels: Channels
    reach_by: list[str]  # the channels to try now, best first (as StatusOut); none when not
    days: list[BoardDayOut]


class BoardOut(msgspec.Struct):
    team: TeamRef
    date: date
    days: list[dt.date]
    members: list[BoardMemberOut]
    at: Annotated[
        datetime,
        msgspec.Meta(
            description='The moment the members\' "now" and "reachable_now" are of, in '
            "Europe/Amsterdam: a board shown for a while is fetched again to stay current."
        ),
    ]


class CallbackNoteOut(msgspec.Struct):
    id: int
    person: PersonRef
    created_by: PersonRef | None
    resident_name: str
    callback_number: str
    question: str
    created_at: datetime
    done_at: datetime | None
    done_by: PersonRef | None
    reminded_at: Annotated[
        datetime | None,
        msgspec.Meta(
            description="When its colleague was reminded of it, still open the working day "
            "after it was left (once; none yet: null)."
        ),
    ]
