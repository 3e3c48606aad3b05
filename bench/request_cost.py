"""What one request costs, in process: the app and the reference driven through ASGI.

No server, no network and no concurrency: each endpoint of ``bench/load.py`` is requested
one after the other through ``httpx.ASGITransport``, so the figures are the CPU time this
process spends per request (app, SQLAlchemy, driver and the client's own share, the same
for the reference) and the wall time including the database's answers. That is less
noisy than throughput on a shared machine and shows what a change saves:

    python bench/request_cost.py postgresql://postgres@127.0.0.1/werkplek_bench_1_0 booking
    python bench/request_cost.py <database> availability --statements availability
    python bench/request_cost.py <database> kcc_search --cprofile kcc_search

``--statements NAME`` prints the SQL statements of one more request of NAME;
``--cprofile NAME`` prints where the time of NAME's requests went (cProfile, by own time,
or with ``--sort cumulative`` by time including callees).
It uses the same preparation as the load test (tokens, free booking slots).
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import dataclasses
import logging
import os
import pstats
import random
import secrets
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple, cast

import httpx
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncEngine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load, reference
from werkplek.app import create_app
from werkplek.config import Settings, _normalise_database_url
from werkplek.db import create_engine
from werkplek.migrate import upgrade
from werkplek.models import import_all_models

APP, REF = "http://app", "http://reference"


class Statement(NamedTuple):
    sql: str
    parameters: Any
    ms: float  # sent to rows read


async def _statements_of(app: Any, run: Any) -> list[Statement]:
    """The SQL statements ``run`` makes, with their parameters and times."""
    seen: list[Statement] = []
    begun: list[float] = []

    def before(*_args: Any) -> None:
        begun.append(time.perf_counter())

    def after(_conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        seen.append(Statement(statement, parameters, (time.perf_counter() - begun.pop()) * 1000))

    engine = app.state.engine.sync_engine
    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        await run()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    return seen


async def profile(args: argparse.Namespace) -> None:
    database_url = _normalise_database_url(args.database_url)
    os.environ["WERKPLEK_DATABASE_URL"] = database_url
    os.environ.setdefault("WERKPLEK_SECRET_KEY", secrets.token_urlsafe(32))
    import_all_models()
    await asyncio.to_thread(upgrade, database_url)
    engine = create_engine(database_url)
    try:
        world = await load.prepare(engine, args.seed)
    finally:
        await engine.dispose()
    settings = dataclasses.replace(Settings.from_env(), scheduler_enabled=False)
    app, bare = create_app(settings), reference.create_app()
    mounts = {APP: httpx.ASGITransport(cast(Any, app)), REF: httpx.ASGITransport(cast(Any, bare))}
    async with app.lifespan(), bare.lifespan(), httpx.AsyncClient(mounts=mounts) as client:
        logging.getLogger("httpx").setLevel(logging.WARNING)
        requests = load.Requests(world, APP, REF, random.Random(args.seed))
        await requests.learn_etags(client)
        print(f"{'endpoint':16} {'cpu ms':>8} {'wall ms':>8}  statuses")
        for name in ["reference", *args.endpoints]:
            operation = requests.op(name)
            for _ in range(args.warm_up):
                await operation(client)
            profiler = cProfile.Profile() if args.cprofile == name else None
            statuses: dict[int | None, int] = {}
            wall, cpu = time.perf_counter(), time.process_time()
            if profiler:
                profiler.enable()
            for _ in range(args.requests):
                status = await operation(client)
                statuses[status] = statuses.get(status, 0) + 1
            if profiler:
                profiler.disable()
            cpu = (time.process_time() - cpu) / args.requests * 1000
            wall = (time.perf_counter() - wall) / args.requests * 1000
            print(f"{name:16} {cpu:8.2f} {wall:8.2f}  {statuses}", flush=True)
            if profiler:
                pstats.Stats(profiler).sort_stats(args.sort).print_stats(40)
            if name in (args.statements, args.explain):
                seen = await _statements_of(app, lambda op=operation: op(client))
                print(f"  {len(seen)} statements in one request:")
                for statement in seen:
                    print(f"    {statement.ms:6.2f} ms  {' '.join(statement.sql.split())[:150]}")
                    if args.repeat_statements:
                        ms = await _repeated(app.state.engine, statement, args.repeat_statements)
                        print(f"      {ms:6.3f} ms on average, run {args.repeat_statements} times")
                    if args.explain == name:
                        print(await _plan(app.state.engine, statement))


async def _repeated(engine: AsyncEngine, statement: Statement, times: int) -> float:
    """Mean wall time of the statement run again and again on one connection (prepared
    once, as the app's driver caches it), in a transaction rolled back afterwards."""
    async with engine.connect() as connection:
        await connection.exec_driver_sql(statement.sql, statement.parameters)
        begun = time.perf_counter()
        for _ in range(times):
            await connection.exec_driver_sql(statement.sql, statement.parameters)
        mean = (time.perf_counter() - begun) / times * 1000
        await connection.rollback()
    return mean


async def _plan(engine: AsyncEngine, statement: Statement) -> str:
    """The statement's plan as the database ran it (PostgreSQL) or would run it (SQLite)."""
    explain = (
        "EXPLAIN (ANALYZE, BUFFERS) "
        if engine.dialect.name == "postgresql"
        else ("EXPLAIN QUERY PLAN ")
    )
    async with engine.connect() as connection:
        rows = await connection.exec_driver_sql(explain + statement.sql, statement.parameters)
        return "\n".join("      " + " ".join(map(str, row)) for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("database_url", help="a database filled by bench/generate.py")
    parser.add_argument("endpoints", nargs="+", choices=load.ISOLATED)
    parser.add_argument("--requests", type=int, default=100, help="per endpoint")
    parser.add_argument("--warm-up", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--statements", metavar="NAME", help="print one request's SQL")
    parser.add_argument("--explain", metavar="NAME", help="print one request's SQL with plans")
    parser.add_argument(
        "--repeat-statements",
        type=int,
        default=0,
        metavar="N",
        help="with --statements or --explain: run each statement N times, print its mean time",
    )
    parser.add_argument("--cprofile", metavar="NAME", help="profile NAME's requests")
    parser.add_argument(
        "--sort", choices=("tottime", "cumulative"), default="tottime", help="profile order"
    )
    asyncio.run(profile(parser.parse_args(argv)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
