"""The service's tables. Times are UTC seconds since the epoch (floats), the same on SQLite and
PostgreSQL. The schema is created and upgraded by Alembic (grader/serve/migrations)."""

from __future__ import annotations

from sqlalchemy import Boolean, Float, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


class Student(Base):
    __tablename__ = "students"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    name: Mapped[str] = mapped_column(String(400), default="")
    token_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)


class Instructor(Base):
    __tablename__ = "instructors"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    label: Mapped[str] = mapped_column(String(200), default="")


class Policy(Base):
    """One exercise's rules; an exercise without a row follows the defaults (policy.DEFAULT)."""

    __tablename__ = "policies"
    exercise: Mapped[str] = mapped_column(String(20), primary_key=True)
    deadline: Mapped[float | None] = mapped_column(Float, nullable=True)
    late: Mapped[str] = mapped_column(String(20), default="accept")  # accept | refuse | penalty
    penalty_per_day: Mapped[float] = mapped_column(Float, default=0.0)
    before: Mapped[str] = mapped_column(String(10), default="full")  # full | names | score
    after: Mapped[str] = mapped_column(String(10), default="full")
    capacity: Mapped[int] = mapped_column(Integer, default=5)
    refill_s: Mapped[float] = mapped_column(Float, default=600.0)


class Extension(Base):
    __tablename__ = "extensions"
    student: Mapped[str] = mapped_column(ForeignKey("students.id"), primary_key=True)
    exercise: Mapped[str] = mapped_column(String(20), primary_key=True)
    deadline: Mapped[float] = mapped_column(Float)


class Bucket(Base):
    """A student's submission tokens for one exercise (a token bucket that refills)."""

    __tablename__ = "buckets"
    student: Mapped[str] = mapped_column(ForeignKey("students.id"), primary_key=True)
    exercise: Mapped[str] = mapped_column(String(20), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    updated: Mapped[float] = mapped_column(Float)


class Submission(Base):
    __tablename__ = "submissions"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    student: Mapped[str] = mapped_column(ForeignKey("students.id"), index=True)
    exercise: Mapped[str] = mapped_column(String(20), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(12), index=True)  # queued running done failed superseded
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created: Mapped[float] = mapped_column(Float, index=True)
    started: Mapped[float | None] = mapped_column(Float, nullable=True)
    finished: Mapped[float | None] = mapped_column(Float, nullable=True)
    lease_until: Mapped[float | None] = mapped_column(Float, nullable=True)
    worker: Mapped[str] = mapped_column(String(200), default="")
    late: Mapped[bool] = mapped_column(Boolean, default=False)
    score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    max_score: Mapped[int | None] = mapped_column(Integer, nullable=True)
    report: Mapped[str | None] = mapped_column(Text, nullable=True)  # the full report, JSON
    error: Mapped[str] = mapped_column(Text, default="")  # why grading itself failed (not the student's fault)
    refunded: Mapped[bool] = mapped_column(Boolean, default=False)


class Setting(Base):
    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
