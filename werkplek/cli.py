"""The ``werkplek`` command: serve, migrate, demo, users, import-people."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Awaitable, Callable
from typing import Any

from werkplek.clock import SystemClock
from werkplek.config import Settings, SettingsError
from werkplek.db import create_engine, create_sessionmaker, session_scope
from werkplek.errors import DomainError


def _run_with_session(settings: Settings, work: Callable[[Any], Awaitable[int]]) -> int:
    async def main() -> int:
        engine = create_engine(settings.database_url)
        try:
            async with session_scope(create_sessionmaker(engine)) as session:
                return await work(session)
        finally:
            await engine.dispose()

    return asyncio.run(main())


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    uvicorn.run(
        "werkplek.app:create_app",
        factory=True,
        host=args.host,
        port=args.port,
        workers=args.workers,
        proxy_headers=True,
        log_level="info",
    )
    return 0


def cmd_migrate(settings: Settings, args: argparse.Namespace) -> int:
    from werkplek.migrate import upgrade

    upgrade(settings.database_url)
    print("database is up to date")
    return 0


def cmd_users_create(settings: Settings, args: argparse.Namespace) -> int:
    import getpass

    from werkplek.people.models import Role
    from werkplek.people.schemas import PersonCreate
    from werkplek.people.services import create_person

    password = args.password or getpass.getpass("Password (at least 12 characters): ")

    async def work(session: Any) -> int:
        person = await create_person(
            session,
            SystemClock(),
            None,
            PersonCreate(
                email=args.email,
                name=args.name,
                roles=[Role(role) for role in args.role],
                password=password,
            ),
        )
        print(f"created person {person.id} <{person.email}>")
        return 0

    return _run_with_session(settings, work)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="werkplek", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    serve = commands.add_parser("serve", help="run the web app")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(handler=cmd_serve)

    migrate = commands.add_parser("migrate", help="create or upgrade the database schema")
    migrate.set_defaults(handler=cmd_migrate)

    users = commands.add_parser("users", help="manage people").add_subparsers(
        dest="users_command", required=True
    )
    create = users.add_parser("create", help="create a person who can log in")
    create.add_argument("--email", required=True)
    create.add_argument("--name", required=True)
    create.add_argument(
        "--role",
        action="append",
        default=[],
        choices=["employee", "kcc", "teamlead", "facilities", "admin"],
        help="may be given more than once",
    )
    create.add_argument("--password", help="asked for when left out")
    create.set_defaults(handler=cmd_users_create)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        settings = Settings.from_env()
    except SettingsError as exc:
        print(f"werkplek: {exc}", file=sys.stderr)
        return 2
    try:
        result: int = args.handler(settings, args)
    except DomainError as exc:
        print(f"werkplek: {exc.message}", file=sys.stderr)
        return 1
    return result


if __name__ == "__main__":
    sys.exit(main())
