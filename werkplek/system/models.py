"""What the background jobs did last: one row per job, written by whichever instance ran it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from werkplek.db import Base, UTCDateTime


class JobRun(Base):
    """The last run of a scheduled job (``werkplek.scheduler.JOBS``), so that an
    administrator can see that the jobs run and which one fails, whichever instance ran it."""

    __tablename__ = "job_runs"

    job: Mapped[str] = mapped_column(String(60), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime] = mapped_column(UTCDateTime())
    succeeded_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=None)
    #: The last failure's exception, for the administrator (never personal data: the
    #: exception's type and message, cut to the column's length).
    error: Mapped[str | None] = mapped_column(String(500), default=None)
    #: Failures since the last success: 0 while the job works.
    failures_in_a_row: Mapped[int] = mapped_column(Integer, default=0)
