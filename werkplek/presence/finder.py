"""Who to call: the KCC finder and the team board.

The finder searches active people by name, team or topic and shows each with their status
now, how to reach them and their backup, reachable ones first; a search that finds nobody
offers what may have been meant. The team board shows a team's members now and per half
day of a week. Both read statuses as ``services.load_statuses`` loads them: in a fixed
number of queries, nothing per person.

A team's members (``services.team_members``) stay in ``services``: absences list them too.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import (
    Date,
    Integer,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import raiseload, selectinload
from sqlalchemy.sql.elements import BindParameter

from werkplek.clock import AMSTERDAM, Clock, in_amsterdam, local_today
from werkplek.config import Settings
from werkplek.db import constant, contains_folded, select_rows
from werkplek.people.models import Person, PersonTopic, Team, TeamMembership
from werkplek.people.services import CurrentUser, search_text
from werkplek.presence.models import PresencePart, WeeklyPattern, WorkKind, WorkLocation
from werkplek.presence.schemas import BoardDayOut, BoardMemberOut, BoardOut, StatusOut, TeamRef
from werkplek.presence.services import (
    CONTACTS_WITH_BACKUP,
    channels_of,
    check_horizon,
    contacts_with_backups,
    load_statuses,
    now_of,
    part_at,
    part_out,
    person_ref,
    planning_day,
    status_out,
    team_members,
    visibility_for,
    week_of,
)

SEARCH_MIN_LENGTH = 2
SEARCH_LIMIT = 50


# --- KCC finder ---------------------------------------------------------------------------


def _like(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_too_short(query: str) -> bool:
    """Something typed, but too little to search for (spaces alone are nothing)."""
    return 0 < len(search_text(query)) < SEARCH_MIN_LENGTH


def _search_pattern(query: str) -> str | None:
    """The LIKE pattern for a query, or None when it is too short to search for."""
    text = search_text(query).lower()
    return _like(text) if len(text) >= SEARCH_MIN_LENGTH else None


_PATTERN: BindParameter[str] = bindparam("pattern")
_NAME_MATCHES = contains_folded(Person.name, _PATTERN)
_TOPIC_MATCHES = contains_folded(PersonTopic.topic, _PATTERN)
_TEAM_MATCHES = contains_folded(Team.name, _PATTERN)
_MEMBERS_OF_MATCHING_TEAMS = (
    select(TeamMembership.person_id)
    .join(Team, Team.id == TeamMembership.team_id)
    .where(_TEAM_MATCHES)
)
#: Everyone whose name, team or topic contains the pattern (case-insensitive), once, with
#: their relevance: 0 found by name, 1 by team or topic (told by the branch that found
#: them, not by matching every found name again). The three matches are united before
#: persons is read, so that each is a scan of its own table (an OR of them makes
#: PostgreSQL filter every person through both subqueries).
_MATCHED_UNITED = union_all(
    select(Person.id.label("id"), literal_column("0").label("relevance")).where(_NAME_MATCHES),
    select(PersonTopic.person_id, literal_column("1")).where(_TOPIC_MATCHES),
    _MEMBERS_OF_MATCHING_TEAMS.add_columns(literal_column("1")),
).subquery()
_MATCHED = (
    select(_MATCHED_UNITED.c.id, func.min(_MATCHED_UNITED.c.relevance).label("relevance"))
    .group_by(_MATCHED_UNITED.c.id)
    .subquery("matched")
)
_TODAY: BindParameter[date] = bindparam("today", type_=Date())
_WEEKDAY: BindParameter[int] = bindparam("weekday", type_=Integer())
_PART: BindParameter[str] = bindparam("part", type_=String())
#: Written into the statement: the partial indexes' condition must be visible to the
#: planner whatever the parameters.
_ABSENT = constant(WorkKind.ABSENT.value)
_SET_NOW = and_(
    WorkLocation.person_id == Person.id,
    WorkLocation.date == _TODAY,
    WorkLocation.day_part == _PART,
)
#: Marked absent for the half day under way: by the day itself, or else by the usual
#: week. A cheap first cut of who is reachable (``_finder_rank`` has the whole rule).
#: Each test reads only absent rows (``ix_work_locations_absent``,
#: ``ix_weekly_patterns_absent``); whether the day says otherwise is asked only of the
#: few whose usual week is absent.
_ABSENT_NOW = or_(
    exists().where(_SET_NOW, WorkLocation.kind == _ABSENT),
    and_(
        exists().where(
            WeeklyPattern.person_id == Person.id,
            WeeklyPattern.weekday == _WEEKDAY,
            or_(WeeklyPattern.morning_kind == _ABSENT, WeeklyPattern.afternoon_kind == _ABSENT),
            case(
                {PresencePart.MORNING.value: WeeklyPattern.morning_kind},
                value=_PART,
                else_=WeeklyPattern.afternoon_kind,
            )
            == _ABSENT,
        ),
        ~exists().where(_SET_NOW),
    ),
)
#: The first matches, with how many there are in all: chosen before their backups are
#: joined, which then are looked up one by one instead of all people being hashed. When
#: a team or topic has more people than are shown, those not marked absent right now are
#: chosen first, so that the KCC sees someone it can put a caller through to.
_FOUND = (
    select(Person.id, _MATCHED.c.relevance, func.count().over().label("total"))
    .join(_MATCHED, _MATCHED.c.id == Person.id)
    .where(Person.active.is_(True))
    .order_by(
        _MATCHED.c.relevance,
        case((and_(_MATCHED.c.relevance == 1, _ABSENT_NOW), 1), else_=0),
        Person.name,
        Person.id,
    )
    .limit(bindparam("limit"))
    .subquery()
)
_FOUND_WITH_BACKUP = (
    CONTACTS_WITH_BACKUP.add_columns(_FOUND.c.total, _FOUND.c.relevance)
    .join(_FOUND, _FOUND.c.id == Person.id)
    .order_by(_FOUND.c.relevance, Person.name, Person.id)
)


async def find_people(session: AsyncSession, query: str, limit: int = SEARCH_LIMIT) -> list[Person]:
    """Active people whose name, team or topic contains ``query`` (case-insensitive),
    those whose name does first."""
    pattern = _search_pattern(query)
    if pattern is None:
        return []
    statement = (
        select(Person)
        .join(_MATCHED, _MATCHED.c.id == Person.id)
        .where(Person.active.is_(True))
        .options(
            raiseload(Person.roles), selectinload(Person.topics), selectinload(Person.memberships)
        )
        .order_by(_MATCHED.c.relevance, Person.name, Person.id)
        .limit(limit)
    )
    return list((await session.execute(statement, {"pattern": pattern})).scalars())


@dataclass(frozen=True)
class SearchResults:
    """The first matches of a search with their statuses, how many matched in all, and,
    when nobody matched, what may have been meant (``spelling_suggestions``)."""

    statuses: list[StatusOut]
    total: int
    suggestions: list[str] = field(default_factory=list)

    @property
    def more(self) -> int:
        """How many matched beyond those shown."""
        return self.total - len(self.statuses)


def _finder_rank(status: StatusOut, found_by_name: bool) -> tuple[int, int, float]:
    """Where a match stands in the finder: people found by name first (by name, as the
    query gives it), then those found by team or topic, reachable now first, then by when
    they are next reachable: a caller with a question on a topic needs someone now."""
    if found_by_name:
        return (0, 0, 0.0)
    if status.reachable_now:
        return (1, 0, 0.0)
    if status.next_reachable is not None:
        return (1, 1, status.next_reachable.timestamp())
    return (1, 2, 0.0)


async def kcc_search(
    session: AsyncSession, clock: Clock, viewer: CurrentUser, query: str
) -> SearchResults:
    """The first ``SEARCH_LIMIT`` matches, each with their status now, how to reach them,
    when next reachable and their backup: those found by name first, then those found by
    team or topic, reachable ones first (``_finder_rank``). Only a search that finds
    nobody looks for what may have been meant (``spelling_suggestions``)."""
    pattern = _search_pattern(query)
    if pattern is None:
        return SearchResults([], 0)
    now = clock.now()
    today = local_today(clock)
    found = (
        await select_rows(
            session,
            _FOUND_WITH_BACKUP,
            {
                "pattern": pattern,
                "limit": SEARCH_LIMIT,
                "today": today,
                "weekday": today.weekday(),
                "part": part_at(now).value,
            },
        )
    ).all()
    people, backups = contacts_with_backups(found)
    if not people:
        return SearchResults([], 0, await spelling_suggestions(session, query))
    bundle = await load_statuses(session, people, now, backups)
    by_name = {row.id for row in found if row.relevance == 0}
    statuses = sorted(  # stable: by name within each rank
        (status_out(bundle, person, viewer) for person in people),
        key=lambda status: _finder_rank(status, status.person.id in by_name),
    )
    return SearchResults(statuses, total=found[0].total)


#: How close a word must be to a query to be offered as what was meant (difflib's ratio:
#: "jansen" and "janssen" 0.92, "pasport" and "paspoort" 0.93, "jan" and "jon" 0.67).
SUGGESTION_CUTOFF = 0.8
SUGGESTIONS_SHOWN = 3
_WORDS_OF_NAMES = select(Person.name).where(Person.active.is_(True))
_TOPICS = select(PersonTopic.topic).join(Person).where(Person.active.is_(True)).distinct()
_TEAMS = select(Team.name)


async def spelling_suggestions(session: AsyncSession, query: str) -> list[str]:
    """What a search that found nobody may have meant: up to ``SUGGESTIONS_SHOWN`` names,
    words of names, topics and teams that are spelled almost like it ("Janssen" for
    "jansen", heard on the phone), closest first. Each finds someone, being taken from
    the active people, their topics and the teams; the KCC may search them all anyway."""
    wanted = search_text(query).lower()
    if len(wanted) < SEARCH_MIN_LENGTH:
        return []
    names = (await session.scalars(_WORDS_OF_NAMES)).all()
    candidates: dict[str, str] = {}  # lower case: as written
    for text in [
        *names,
        *(word for name in names for word in name.split()),
        *(await session.scalars(_TOPICS)).all(),
        *(await session.scalars(_TEAMS)).all(),
    ]:
        candidates.setdefault(text.lower(), text)
    # Only words of a length that can be close enough (difflib's ratio is at most
    # 2 * shorter / (both lengths)): most of the thousands of words are not compared at all.
    shortest = len(wanted) * SUGGESTION_CUTOFF / (2 - SUGGESTION_CUTOFF)
    longest = len(wanted) * (2 - SUGGESTION_CUTOFF) / SUGGESTION_CUTOFF
    close = difflib.get_close_matches(
        wanted,
        [text for text in candidates if shortest <= len(text) <= longest],
        n=SUGGESTIONS_SHOWN,
        cutoff=SUGGESTION_CUTOFF,
    )
    return [candidates[match] for match in close]


# --- team board ---------------------------------------------------------------------------


async def team_board(
    session: AsyncSession,
    clock: Clock,
    settings: Settings,
    viewer: CurrentUser,
    team_id: int,
    day: date | None = None,
) -> BoardOut:
    """Who of a team is reachable now, and where everyone is per half day in the week of
    ``day`` (by default the week one plans: at the weekend the coming one)."""
    day = day or planning_day(local_today(clock))
    check_horizon(clock, settings, day)
    team_name, members_of_team = await team_members(session, team_id)
    people = [person for person, _is_lead in members_of_team]
    days = week_of(day)
    at = clock.now()
    bundle = await load_statuses(session, people, at, {}, first=days[0], last=days[-1])
    members = []
    for person, is_lead in members_of_team:
        visibility = visibility_for(viewer, person)
        now = now_of(bundle, person, visibility)
        week = [bundle.view(person.id, board_day) for board_day in days]
        members.append(
            BoardMemberOut(
                person=person_ref(person),
                is_lead=is_lead,
                reachable_now=now.state.reachable_now,
                next_reachable=in_amsterdam(now.state.next_reachable),
                now=now.location,
                channels=channels_of(person),
                reach_by=now.reach_by(person),
                days=[
                    BoardDayOut(
                        date=view.day,
                        morning=part_out(
                            view.morning,
                            PresencePart.MORNING,
                            bundle.data,
                            visibility,
                            person.hide_desk,
                        ),
                        afternoon=part_out(
                            view.afternoon,
                            PresencePart.AFTERNOON,
                            bundle.data,
                            visibility,
                            person.hide_desk,
                        ),
                    )
                    for view in week
                ],
            )
        )
    return BoardOut(
        team=TeamRef(id=team_id, name=team_name),
        date=day,
        days=days,
        members=members,
        at=at.astimezone(AMSTERDAM),
    )


def present_per_part(board: BoardOut) -> dict[str, int]:
    """How many of the board's members are at a municipal location (office or field
    base) on each half day, by ``<date>-<day part>``."""
    present: dict[str, int] = {}
    for member in board.members:
        for board_day in member.days:
            for part in (board_day.morning, board_day.afternoon):
                if part.kind in (WorkKind.OFFICE.value, WorkKind.FIELD_BASE.value):
                    key = f"{board_day.date.isoformat()}-{part.day_part}"
                    present[key] = present.get(key, 0) + 1
    return present
