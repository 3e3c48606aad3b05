"""``make bench``: generate the data sets once, then run the load test on PostgreSQL and SQLite.

Defaults finish in about ten minutes on two cores: a fifth of the full size (1,000 people,
600 desks, 60 rooms, one year), 8 seconds per endpoint and 30 seconds of mixed load per
database. ``--full`` uses the full size (5,000 people, 3,000 desks, 300 rooms) and 20
seconds per endpoint; generating it takes about 2 minutes on SQLite and 4 on PostgreSQL,
once (the databases are kept under ``bench/data/`` and in PostgreSQL as
``werkplek_bench_<size>``; ``--fresh`` builds them again).

    python -m bench.run                 # both databases, small size
    python -m bench.run --full --sqlite-only
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url

from bench import generate, load
from werkplek.db import create_engine

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "bench" / "data"
DEFAULT_PG_ADMIN = "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"


async def _admin(url: str, statement: str) -> list[tuple[object, ...]]:
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            await connection.execution_options(isolation_level="AUTOCOMMIT")
            result = await connection.execute(text(statement))
            return [tuple(row) for row in result] if result.returns_rows else []
    finally:
        await engine.dispose()


def _generate(url: str, scale: float) -> None:
    print(f"\ngenerating {url} (scale {scale:g})")
    generate.main([url, "--scale", str(scale)])


def sqlite_database(scale: float, fresh: bool) -> str:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    path = DATA_DIR / f"bench-{scale:g}.db"
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    url = f"sqlite+aiosqlite:///{path}"
    if not path.exists():
        _generate(url, scale)
    return url


def postgres_database(admin_url: str, scale: float, fresh: bool) -> str:
    name = f"werkplek_bench_{str(scale).replace('.', '_')}"
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)
    if fresh:
        asyncio.run(_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    exists = asyncio.run(_admin(admin_url, f"SELECT 1 FROM pg_database WHERE datname = '{name}'"))
    if not exists:
        asyncio.run(_admin(admin_url, f'CREATE DATABASE "{name}"'))
        _generate(url, scale)
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="full size, 20 s per endpoint")
    parser.add_argument("--scale", type=float, help="data set size (default 0.2, --full 1)")
    parser.add_argument("--duration", type=float, help="seconds per endpoint (8, --full 20)")
    parser.add_argument("--mix-duration", type=float, default=30)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--fresh", action="store_true", help="build the data sets again")
    parser.add_argument("--sqlite-only", action="store_true")
    parser.add_argument("--postgres-only", action="store_true")
    parser.add_argument(
        "--postgres",
        default=os.environ.get("WERKPLEK_BENCH_POSTGRES", DEFAULT_PG_ADMIN),
        help="a PostgreSQL URL whose user may create databases "
        "(default: $WERKPLEK_BENCH_POSTGRES or the local server)",
    )
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args(argv)
    scale = args.scale or (1.0 if args.full else 0.2)
    duration = args.duration or (20 if args.full else 8)
    urls = []
    if not args.sqlite_only:
        urls.append(postgres_database(args.postgres, scale, args.fresh))
    if not args.postgres_only:
        urls.append(sqlite_database(scale, args.fresh))
    options = [
        *urls,
        "--workers",
        str(args.workers),
        "--concurrency",
        str(args.concurrency),
        "--duration",
        str(duration),
        "--mix-duration",
        str(args.mix_duration),
    ]
    if args.json:
        options += ["--json", args.json]
    return load.main(options)


if __name__ == "__main__":
    sys.exit(main())
