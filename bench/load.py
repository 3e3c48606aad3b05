"""Load test: the real app under ``werkplek serve --workers N`` against the bare reference.

On a database filled by ``bench/generate.py`` this

1. resets the load pool (deletes bookings that earlier runs made for it from today on) and
   creates API tokens and feed tokens with the app's own services;
2. starts ``werkplek serve --workers N`` and the reference app (``bench/reference.py``,
   uvicorn with the same workers) on free ports;
3. drives each endpoint alone for ``--duration`` seconds with ``--concurrency`` clients
   (closed loop, async httpx) and prints throughput, p50/p95/p99 and errors, each throughput
   as a ratio to the reference measured the same way for half as long just before it (the
   machine's load may change during a run), next to the issue's goal;
4. runs a realistic mix for ``--mix-duration`` seconds (employees booking desks, some of them
   racing for the same desk, and viewing availability, KCC searches, team boards, feed
   polling with and without If-None-Match, facilities reports), and checks with SQL that
   no space and no person's desk is double-booked;
5. times single feed generations and year-long analytics reports against the bare SQL
   aggregate they are built on (median of ``--repeat``).

    python bench/load.py sqlite+aiosqlite:///bench/data/bench.db --workers 2
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import holidays
import httpx
from sqlalchemy import delete, func, select, text
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from werkplek.bookings.models import ACTIVE_STATUS_VALUES, Booking
from werkplek.clock import AMSTERDAM, SystemClock, local_today
from werkplek.config import Settings, _normalise_database_url
from werkplek.db import create_engine, create_sessionmaker
from werkplek.feeds.models import FeedScope
from werkplek.feeds.schemas import FeedScopeIn, FeedTokenIn
from werkplek.feeds.services import create_token
from werkplek.migrate import upgrade
from werkplek.models import import_all_models
from werkplek.people.models import Person, PersonRole, Role, Team
from werkplek.people.schemas import ApiTokenIn
from werkplek.people.services import create_api_token, current_user_for
from werkplek.rooms.models import Space

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
SEARCH_TERMS = ("paspoort", "jansen", "burgerzaken", "wmo", "de vries", "vergunning", "klantc")
# Goals from the issues, as a share of the reference's throughput.
GOALS = {
    "booking": 0.40,
    "availability": 0.25,
    "kcc_search": 0.50,
    "team_board": 0.50,
    "feed_team_304": 0.70,
    "feed_site_304": 0.70,
}
ISOLATED = (
    "app_floor",
    "booking",
    "availability",
    "kcc_search",
    "team_board",
    "feed_team",
    "feed_team_304",
    "feed_site",
    "feed_site_304",
    "occupancy_4w",
    "space_plan_4w",
)
MIX_WEIGHTS = {
    "availability": 25,
    "booking": 8,
    "booking_race": 4,
    "kcc_search": 20,
    "team_board": 10,
    "feed_team_304": 6,
    "feed_site_304": 6,
    "feed_team": 1,
    "feed_site": 1,
    "occupancy_4w": 1,
    "space_plan_4w": 1,
}
OK_STATUSES = {200, 201, 304}
RACE_DESKS = 5
RACE_PEOPLE = 40


# --- preparation ---------------------------------------------------------------------------


@dataclass
class World:
    """Ids, tokens and free booking slots the requests are built from."""

    today: date
    kcc_token: str
    facilities_token: str
    pool_tokens: dict[int, str]
    team_ids: list[int]
    site_id: int
    floor_id: int
    floor_desks: int
    team_feed: str
    site_feed: str
    site_rooms: int
    team_members: int
    booking_days: list[date]
    slots: deque[tuple[int, int, date, str]] = field(default_factory=deque)
    race_desks: list[int] = field(default_factory=list)
    race_people: deque[int] = field(default_factory=deque)


def _booking_days(today: date, ahead: int) -> list[date]:
    public = holidays.country_holidays("NL", years=[today.year, today.year + 1])
    days = (today + timedelta(days=n) for n in range(1, ahead + 1))
    return [day for day in days if day.weekday() < 5 and day not in public]


async def prepare(engine: AsyncEngine, seed: int) -> World:
    """Reset the load pool, make tokens, and list free (person, desk, day, part) slots."""
    rng = random.Random(seed)
    clock = SystemClock()
    today = local_today(clock)
    sessionmaker = create_sessionmaker(engine)
    async with sessionmaker() as session, session.begin():
        people = (await session.execute(select(func.max(Person.id)))).scalar_one()
        if not people:
            raise SystemExit("the database holds no people: run bench/generate.py first")
        pool = list(range(people - people // 10 + 1, people + 1))
        midnight = datetime.combine(today, datetime.min.time(), tzinfo=AMSTERDAM)
        await session.execute(
            delete(Booking).where(Booking.booked_for_id.in_(pool), Booking.start_at >= midnight)
        )
        kcc_id = (
            await session.execute(
                select(func.min(PersonRole.person_id)).where(PersonRole.role == Role.KCC.value)
            )
        ).scalar_one()
        facilities_id = (
            await session.execute(
                select(func.min(PersonRole.person_id)).where(
                    PersonRole.role == Role.FACILITIES.value
                )
            )
        ).scalar_one()
        floor_id, floor_desks = (
            await session.execute(
                select(Space.floor_id, func.count())
                .where(Space.site_id == 1, Space.kind.in_(("desk", "quiet_desk")))
                .group_by(Space.floor_id)
                .order_by(func.count().desc(), Space.floor_id)
                .limit(1)
            )
        ).one()
        site_rooms = (
            await session.execute(
                select(func.count()).where(
                    Space.site_id == 1, Space.kind.in_(("meeting_room", "resident_room"))
                )
            )
        ).scalar_one()
        team_ids = list((await session.execute(select(Team.id).order_by(Team.id))).scalars())
        kcc = current_user_for(await _person(session, kcc_id))
        facilities = current_user_for(await _person(session, facilities_id))
        token_in = ApiTokenIn(name="bench")
        kcc_token = (await create_api_token(session, clock, kcc, token_in)).token
        facilities_token = (await create_api_token(session, clock, facilities, token_in)).token
        pool_tokens = {}
        for person_id in pool:
            user = current_user_for(await _person(session, person_id))
            pool_tokens[person_id] = (await create_api_token(session, clock, user, token_in)).token
        team_feed = await create_token(
            session, clock, kcc, FeedTokenIn(scope=FeedScopeIn(kind=FeedScope.TEAM, id=1))
        )
        site_feed = await create_token(
            session, clock, facilities, FeedTokenIn(scope=FeedScopeIn(kind=FeedScope.SITE, id=1))
        )
        team_members = (
            await session.execute(text("SELECT count(*) FROM team_memberships WHERE team_id = 1"))
        ).scalar_one()
        desks = list(
            (
                await session.execute(
                    select(Space.id).where(
                        Space.site_id == 1, Space.kind.in_(("desk", "quiet_desk"))
                    )
                )
            ).scalars()
        )
        days = _booking_days(today, 14)
        first = datetime.combine(days[0], datetime.min.time(), tzinfo=AMSTERDAM)
        busy = await session.execute(
            select(
                Booking.space_id, Booking.booked_for_id, Booking.start_at, Booking.day_part
            ).where(
                Booking.is_desk.is_(True),
                Booking.status.in_(ACTIVE_STATUS_VALUES),
                Booking.start_at >= first,
                Booking.site_id == 1,
            )
        )
        taken: set[tuple[int, date, str]] = set()
        for space_id, _person_id, start_at, day_part in busy:
            day = start_at.astimezone(AMSTERDAM).date()
            for part in ("morning", "afternoon"):
                if day_part in (part, "day"):
                    taken.add((space_id, day, part))
    world = World(
        today=today,
        kcc_token=kcc_token,
        facilities_token=facilities_token,
        pool_tokens=pool_tokens,
        team_ids=team_ids,
        site_id=1,
        floor_id=floor_id or 0,
        floor_desks=floor_desks,
        team_feed=team_feed.token,
        site_feed=site_feed.token,
        site_rooms=site_rooms,
        team_members=team_members,
        booking_days=days,
    )
    # Five desks that the race people try to book all at once (one 201 each, 409 for the rest).
    last = days[-1]
    race_desks = [d for d in desks if not {(d, last, "morning"), (d, last, "afternoon")} & taken]
    world.race_desks = race_desks[:RACE_DESKS]
    taken |= {(d, last, part) for d in world.race_desks for part in ("morning", "afternoon")}
    world.race_people = deque(pool[-RACE_PEOPLE:])
    queue_people = pool[:-RACE_PEOPLE]
    slots = []
    for day in days:
        for part in ("morning", "afternoon"):
            free = [desk for desk in desks if (desk, day, part) not in taken]
            rng.shuffle(free)
            takers = queue_people[:]
            rng.shuffle(takers)
            slots += [(p, d, day, part) for p, d in zip(takers, free, strict=False)]
    rng.shuffle(slots)
    world.slots = deque(slots)
    return world


async def _person(session: AsyncSession, person_id: int) -> Person:
    person = await session.get(Person, person_id)
    assert person is not None
    return person


# --- requests ------------------------------------------------------------------------------


Op = Callable[[httpx.AsyncClient], Awaitable[int | None]]


class Requests:
    """One coroutine per endpoint; each returns the HTTP status (None: nothing left to do)."""

    def __init__(self, world: World, app: str, reference: str, rng: random.Random) -> None:
        self.world, self.app, self.reference, self.rng = world, app, reference, rng
        self.etags: dict[str, str] = {}
        self.people = max(world.pool_tokens)

    def _bearer(self, token: str) -> dict[str, str]:
        return {"authorization": f"Bearer {token}"}

    async def reference_op(self, client: httpx.AsyncClient) -> int:
        response = await client.get(
            f"{self.reference}/ref/person/{self.rng.randint(1, self.people)}"
        )
        return response.status_code

    async def app_floor(self, client: httpx.AsyncClient) -> int:
        """The app's least work: token check, then one site by primary key."""
        token = self.rng.choice(list(self.world.pool_tokens.values()))
        response = await client.get(
            f"{self.app}/api/sites/{self.world.site_id}", headers=self._bearer(token)
        )
        return response.status_code

    async def booking(self, client: httpx.AsyncClient) -> int | None:
        if not self.world.slots:
            return None
        person, desk, day, part = self.world.slots.popleft()
        return await self._book(client, person, desk, day, part)

    async def booking_race(self, client: httpx.AsyncClient) -> int | None:
        """A person without a desk that day tries one of the few contested desks."""
        if not self.world.race_people or not self.world.race_desks:
            return None
        person = self.world.race_people.popleft()
        desk = self.rng.choice(self.world.race_desks)
        status = await self._book(client, person, desk, self.world.booking_days[-1], "day")
        if status != 201:
            self.world.race_people.append(person)
        return status

    async def _book(
        self, client: httpx.AsyncClient, person: int, desk: int, day: date, part: str
    ) -> int:
        response = await client.post(
            f"{self.app}/api/bookings",
            json={"space_id": desk, "date": day.isoformat(), "day_part": part},
            headers=self._bearer(self.world.pool_tokens[person]),
        )
        return response.status_code

    async def availability(self, client: httpx.AsyncClient) -> int:
        day = self.rng.choice(self.world.booking_days)
        token = self.rng.choice(list(self.world.pool_tokens.values()))
        response = await client.get(
            f"{self.app}/api/availability",
            params={
                "site": self.world.site_id,
                "date": day.isoformat(),
                "floor": self.world.floor_id,
            },
            headers=self._bearer(token),
        )
        return response.status_code

    async def kcc_search(self, client: httpx.AsyncClient) -> int:
        response = await client.get(
            f"{self.app}/api/kcc/search",
            params={"q": self.rng.choice(SEARCH_TERMS)},
            headers=self._bearer(self.world.kcc_token),
        )
        return response.status_code

    async def team_board(self, client: httpx.AsyncClient) -> int:
        team = self.rng.choice(self.world.team_ids)
        response = await client.get(
            f"{self.app}/api/teams/{team}/board", headers=self._bearer(self.world.kcc_token)
        )
        return response.status_code

    async def _feed(self, client: httpx.AsyncClient, token: str, conditional: bool) -> int:
        headers = {}
        if conditional and token in self.etags:
            headers["if-none-match"] = self.etags[token]
        response = await client.get(f"{self.app}/feeds/{token}.ics", headers=headers)
        if "etag" in response.headers:
            self.etags[token] = response.headers["etag"]
        return response.status_code

    async def learn_etags(self, client: httpx.AsyncClient) -> None:
        """Fetch each feed once: a subscribed calendar app polls holding the last ETag, so the
        ``_304`` runs measure polling, not sixteen clients' first download at once."""
        for token in (self.world.team_feed, self.world.site_feed):
            await self._feed(client, token, conditional=False)

    async def feed_team(self, client: httpx.AsyncClient) -> int:
        return await self._feed(client, self.world.team_feed, conditional=False)

    async def feed_team_304(self, client: httpx.AsyncClient) -> int:
        return await self._feed(client, self.world.team_feed, conditional=True)

    async def feed_site(self, client: httpx.AsyncClient) -> int:
        return await self._feed(client, self.world.site_feed, conditional=False)

    async def feed_site_304(self, client: httpx.AsyncClient) -> int:
        return await self._feed(client, self.world.site_feed, conditional=True)

    async def _report(self, client: httpx.AsyncClient, path: str, params: dict[str, Any]) -> int:
        response = await client.get(
            f"{self.app}/api/analytics/{path}",
            params={"site": self.world.site_id, **params},
            headers=self._bearer(self.world.facilities_token),
        )
        return response.status_code

    async def occupancy_4w(self, client: httpx.AsyncClient) -> int:
        return await self._report(client, "occupancy", {})

    async def space_plan_4w(self, client: httpx.AsyncClient) -> int:
        return await self._report(client, "space-plan", {})

    def op(self, name: str) -> Op:
        operation: Op = self.reference_op if name == "reference" else getattr(self, name)
        return operation


# --- measuring -----------------------------------------------------------------------------


@dataclass
class Figures:
    name: str
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def throughput(self) -> float:
        return self.count / self.seconds if self.seconds else 0.0

    @property
    def errors(self) -> int:
        expected = OK_STATUSES | ({409} if self.name == "booking_race" else set())
        return sum(n for status, n in self.statuses.items() if status not in expected)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000 if ordered else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "requests": self.count,
            "per_second": round(self.throughput, 1),
            "p50_ms": round(self.percentile(0.5), 1),
            "p95_ms": round(self.percentile(0.95), 1),
            "p99_ms": round(self.percentile(0.99), 1),
            "statuses": dict(self.statuses),
        }


async def drive(
    requests: Requests, weights: dict[str, int], concurrency: int, duration: float
) -> dict[str, Figures]:
    """``concurrency`` clients, each sending its next request when the last one answered."""
    names, chances = list(weights), list(weights.values())
    figures = {name: Figures(name) for name in names}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=60, limits=limits) as client:
        started = time.perf_counter()
        deadline = started + duration

        async def user() -> None:
            while time.perf_counter() < deadline:
                name = requests.rng.choices(names, chances)[0]
                begun = time.perf_counter()
                try:
                    status = await requests.op(name)(client)
                except httpx.HTTPError:
                    status = 0
                if status is None:
                    return
                figures[name].latencies.append(time.perf_counter() - begun)
                figures[name].statuses[status] += 1

        await asyncio.gather(*(user() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    for figure in figures.values():
        figure.seconds = elapsed
    return figures


async def double_bookings(engine: AsyncEngine, since: date) -> dict[str, int]:
    """Overlapping active bookings of one space, and of one person's desks, from ``since``."""
    start = datetime.combine(since, datetime.min.time(), tzinfo=AMSTERDAM).astimezone(UTC)
    if engine.dialect.name == "sqlite":
        start_value: Any = start.replace(tzinfo=None).isoformat(" ")
    else:
        start_value = start
    active = "('" + "', '".join(ACTIVE_STATUS_VALUES) + "')"
    overlap = (
        "SELECT count(*) FROM bookings a JOIN bookings b ON a.{key} = b.{key} AND a.id < b.id "
        "AND a.start_at < b.end_at AND b.start_at < a.end_at "
        f"WHERE a.start_at >= :start AND b.start_at >= :start "
        f"AND a.status IN {active} AND b.status IN {active}{{extra}}"
    )
    async with engine.connect() as connection:
        spaces = (
            await connection.execute(
                text(overlap.format(key="space_id", extra="")), {"start": start_value}
            )
        ).scalar_one()
        people = (
            await connection.execute(
                text(
                    overlap.format(
                        key="booked_for_id", extra=" AND a.is_desk = :yes AND b.is_desk = :yes"
                    )
                ),
                {"start": start_value, "yes": True},
            )
        ).scalar_one()
    return {"space": spaces, "person_desk": people}


async def _median_seconds(work: Callable[[], Awaitable[Any]], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        begun = time.perf_counter()
        await work()
        times.append(time.perf_counter() - begun)
    return statistics.median(times)


def bare_aggregate_sql(dialect: str) -> str:
    """Desks and rooms booked and checked in per day and kind at a site: the report's core."""
    day = (
        "date(b.start_at)"
        if dialect == "sqlite"
        else "(b.start_at AT TIME ZONE 'Europe/Amsterdam')::date"
    )
    return (
        f"SELECT {day} AS day, s.kind, count(DISTINCT b.space_id), "
        "count(DISTINCT CASE WHEN b.status = 'checked_in' THEN b.space_id END) "
        "FROM bookings b JOIN spaces s ON s.id = b.space_id "
        "WHERE b.site_id = :site AND b.start_at >= :start AND b.start_at < :end "
        "AND b.status IN ('pending', 'confirmed', 'checked_in', 'released') "
        "GROUP BY 1, 2"
    )


async def report_times(
    engine: AsyncEngine, requests: Requests, first: date, last: date, repeat: int
) -> dict[str, float]:
    """Year-long reports and single feed generations, in seconds (median of ``repeat``)."""
    world = requests.world
    start = datetime.combine(first, datetime.min.time(), tzinfo=AMSTERDAM).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), datetime.min.time(), tzinfo=AMSTERDAM)
    bounds: dict[str, Any] = {"site": world.site_id, "start": start, "end": end.astimezone(UTC)}
    if engine.dialect.name == "sqlite":
        bounds |= {k: bounds[k].replace(tzinfo=None).isoformat(" ") for k in ("start", "end")}
    statement = text(bare_aggregate_sql(engine.dialect.name))

    async def bare() -> None:
        async with engine.connect() as connection:
            (await connection.execute(statement, bounds)).all()

    period = {"from": first.isoformat(), "to": last.isoformat()}
    async with httpx.AsyncClient(timeout=600) as client:

        async def fetch(path: str, params: dict[str, Any] | None = None, token: str = "") -> None:
            headers = {"authorization": f"Bearer {token}"} if token else {}
            response = await client.get(f"{requests.app}{path}", params=params, headers=headers)
            response.raise_for_status()

        def report(path: str) -> Callable[[], Awaitable[None]]:
            params = {"site": world.site_id, **period}
            return lambda: fetch(f"/api/analytics/{path}", params, world.facilities_token)

        return {
            "bare_sql_year": await _median_seconds(bare, repeat),
            "occupancy_year": await _median_seconds(report("occupancy"), repeat),
            "space_plan_year": await _median_seconds(report("space-plan"), repeat),
            "feed_team": await _median_seconds(
                lambda: fetch(f"/feeds/{world.team_feed}.ics"), repeat
            ),
            "feed_site": await _median_seconds(
                lambda: fetch(f"/feeds/{world.site_feed}.ics"), repeat
            ),
        }


# --- servers -------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def servers(database_url: str, workers: int, log_dir: Path) -> Iterator[tuple[str, str]]:
    """``werkplek serve`` and the reference app, both on ``workers`` uvicorn workers."""
    env = {
        **os.environ,
        "WERKPLEK_DATABASE_URL": database_url,
        "WERKPLEK_SECRET_KEY": secrets.token_urlsafe(32),
        "WERKPLEK_ENV": "production",
        "PYTHONPATH": str(ROOT),
    }
    app_port, reference_port = free_port(), free_port()
    commands = {
        "app": [
            str(BIN / "werkplek"),
            "serve",
            "--workers",
            str(workers),
            "--port",
            str(app_port),
        ],
        "reference": [
            str(BIN / "uvicorn"),
            "bench.reference:create_app",
            "--factory",
            "--workers",
            str(workers),
            "--port",
            str(reference_port),
            "--proxy-headers",
            "--log-level",
            "info",
        ],
    }
    log_dir.mkdir(parents=True, exist_ok=True)
    processes = []
    try:
        for name, command in commands.items():
            log = (log_dir / f"{name}.log").open("w")
            processes.append(
                subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
            )
        app, reference = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{reference_port}"
        _wait_until_up([f"{app}/health", f"{reference}/ref/health"], processes, log_dir)
        yield app, reference
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def _wait_until_up(
    urls: Sequence[str], processes: Sequence[subprocess.Popen[bytes]], log_dir: Path
) -> None:
    deadline = time.monotonic() + 60
    waiting = list(urls)
    while waiting:
        if any(process.poll() is not None for process in processes):
            raise SystemExit(f"a server stopped while starting; see the logs in {log_dir}")
        if time.monotonic() > deadline:
            raise SystemExit(f"servers did not answer within a minute; see {log_dir}")
        try:
            if httpx.get(waiting[0], timeout=2).status_code == 200:
                waiting.pop(0)
                continue
        except httpx.HTTPError:
            pass
        time.sleep(0.3)


# --- report --------------------------------------------------------------------------------


def print_isolated(title: str, figures: dict[str, Figures], references: dict[str, Figures]) -> None:
    """One line per endpoint; the ratio is to the reference measured just before it."""
    print(f"\n{title}")
    print(
        f"{'endpoint':<15}{'req/s':>8}{'ref/s':>8}{'ratio':>8}{'goal':>7}{'p50 ms':>9}"
        f"{'p95 ms':>9}{'p99 ms':>9}{'n':>7}{'errors':>7}  statuses"
    )
    for name, figure in figures.items():
        reference = references[name].throughput
        ratio = figure.throughput / reference if reference else 0.0
        goal = GOALS.get(name)
        goal_text = f"{goal:.0%}" if goal else ""
        mark = "" if goal is None else (" ok" if ratio >= goal else " MISS")
        statuses = " ".join(f"{s}:{n}" for s, n in sorted(figure.statuses.items()))
        print(
            f"{name:<15}{figure.throughput:>8.1f}{reference:>8.1f}{ratio:>8.0%}{goal_text:>7}"
            f"{figure.percentile(0.5):>9.1f}{figure.percentile(0.95):>9.1f}"
            f"{figure.percentile(0.99):>9.1f}{figure.count:>7}{figure.errors:>7}  {statuses}{mark}"
        )


def print_mix(figures: dict[str, Figures], reference: float) -> None:
    total = sum(f.count for f in figures.values())
    seconds = next(iter(figures.values())).seconds
    print(
        f"\nmixed load: {total} requests in {seconds:.0f} s = {total / seconds:.1f} req/s "
        f"({total / seconds / reference:.0%} of the reference)"
    )
    print(f"{'endpoint':<15}{'n':>7}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}{'errors':>7}  statuses")
    for name, figure in figures.items():
        statuses = " ".join(f"{s}:{n}" for s, n in sorted(figure.statuses.items()))
        print(
            f"{name:<15}{figure.count:>7}{figure.percentile(0.5):>9.1f}"
            f"{figure.percentile(0.95):>9.1f}{figure.percentile(0.99):>9.1f}"
            f"{figure.errors:>7}  {statuses}"
        )


def print_times(times: dict[str, float], world: World) -> None:
    bare = times["bare_sql_year"]
    print("\nreport and feed generation (one request at a time, median)")
    print(f"  bare SQL aggregate, site 1, one year  {bare * 1000:8.1f} ms")
    for name in ("occupancy_year", "space_plan_year"):
        ratio = times[name] / bare if bare else 0.0
        mark = "ok" if ratio <= 2 else "MISS"
        print(f"  {name:<36}{times[name] * 1000:8.1f} ms  {ratio:5.1f}x bare (goal <= 2x) {mark}")
    feeds = {
        "feed_team": f"team feed, {world.team_members} people x 120 days",
        "feed_site": f"site feed, {world.site_rooms} rooms x 120 days",
    }
    for name, label in feeds.items():
        print(f"  {label:<36}{times[name] * 1000:8.1f} ms")


# --- main ----------------------------------------------------------------------------------


async def measure(args: argparse.Namespace, database_url: str) -> dict[str, Any]:
    import_all_models()
    await asyncio.to_thread(upgrade, database_url)  # the data set may predate a migration
    engine = create_engine(database_url)
    try:
        world = await prepare(engine, args.seed)
        backend = "SQLite" if database_url.startswith("sqlite") else "PostgreSQL"
        print(
            f"\n=== {backend}: {database_url}  workers={args.workers} "
            f"concurrency={args.concurrency} duration={args.duration:g}s per endpoint"
        )
        print(
            f"    {len(world.slots)} free desk slots for {len(world.pool_tokens)} pool people; "
            f"availability floor {world.floor_id} has {world.floor_desks} desks"
        )
        log_dir = Path(args.log_dir) / backend.lower()
        with servers(database_url, args.workers, log_dir) as (app, reference):
            requests = Requests(world, app, reference, random.Random(args.seed))
            await drive(requests, {"reference": 1, "availability": 1}, args.concurrency, 3)  # warm
            # The machine's load may change during the run: each endpoint is compared with
            # the reference measured right before it.
            isolated: dict[str, Figures] = {}
            references: dict[str, Figures] = {}
            for name in args.endpoints:
                references[name] = (
                    await drive(requests, {"reference": 1}, args.concurrency, args.duration / 2)
                )["reference"]
                if name.endswith("_304"):
                    async with httpx.AsyncClient(timeout=60) as client:
                        await requests.learn_etags(client)
                isolated |= await drive(requests, {name: 1}, args.concurrency, args.duration)
            print_isolated(f"{backend}: each endpoint alone", isolated, references)
            before_mix = await drive(
                requests, {"reference": 1}, args.concurrency, args.duration / 2
            )
            mix = await drive(requests, MIX_WEIGHTS, args.concurrency, args.mix_duration)
            print_mix(mix, before_mix["reference"].throughput)
            doubles = await double_bookings(engine, world.today)
            print(
                f"double bookings after the load: {doubles['space']} on a space, "
                f"{doubles['person_desk']} people with two desks at once"
            )
            settings = Settings(database_url=database_url)
            last = world.today
            first = last - timedelta(days=min(364, settings.analytics_max_days - 1))
            times = await report_times(engine, requests, first, last, args.repeat)
            print_times(times, world)
    finally:
        await engine.dispose()
    return {
        "backend": backend,
        "isolated": {
            name: {**figure.as_dict(), "reference_per_second": references[name].throughput}
            for name, figure in isolated.items()
        },
        "mix": {name: figure.as_dict() for name, figure in mix.items()},
        "double_bookings": doubles,
        "times_ms": {name: round(value * 1000, 1) for name, value in times.items()},
    }


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", nargs="+", help="databases filled by bench/generate.py")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--duration", type=float, default=10, help="seconds per endpoint")
    parser.add_argument("--mix-duration", type=float, default=30, help="seconds of mixed load")
    parser.add_argument("--repeat", type=int, default=3, help="runs per timed report")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--endpoints",
        nargs="+",
        default=list(ISOLATED),
        choices=ISOLATED,
        help="which endpoints to measure alone (each after half as long on the reference)",
    )
    parser.add_argument("--log-dir", default=str(ROOT / "bench" / "results" / "logs"))
    parser.add_argument("--json", help="also write the figures to this file")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    results = [
        asyncio.run(measure(args, _normalise_database_url(url))) for url in args.database_url
    ]
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
