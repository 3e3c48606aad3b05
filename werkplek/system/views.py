"""Page: the state of the installation (admin): version, database, background jobs and
the settings in force."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, get
from litestar.di import Provide
from litestar.response import Template

from werkplek import __version__
from werkplek.people.models import Role
from werkplek.system import services
from werkplek.web import ClockDep, DbDep, SettingsDep, UserDep, page, provide_user, role_required


class SystemPages(Controller):
    path = "/admin/system"
    tags = ["pages"]
    include_in_schema = False
    guards = [role_required(Role.ADMIN)]
    dependencies = {"user": Provide(provide_user, sync_to_thread=False)}

    @get("/")
    async def system(
        self,
        request: Request[Any, Any, Any],
        db: DbDep,
        clock: ClockDep,
        settings: SettingsDep,
        user: UserDep,
    ) -> Template:
        jobs = await services.job_statuses(db, clock, settings, user)
        return page(
            request,
            "system/system.html",
            version=__version__,
            database=await services.database_info(db),
            jobs=jobs,
            troubled=[job for job in jobs if job.needs_attention],
            settings_lines=services.settings_in_force(settings, user),
        )


ROUTES = [SystemPages]
