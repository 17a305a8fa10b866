"""The service's first schema: students, instructors, policies, extensions, buckets,
submissions, settings."""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table("students", sa.Column("id", sa.String(200), primary_key=True),
                    sa.Column("name", sa.String(400), nullable=False),
                    sa.Column("token_hash", sa.String(64), nullable=False, unique=True))
    op.create_index("ix_students_token_hash", "students", ["token_hash"])
    op.create_table("instructors", sa.Column("token_hash", sa.String(64), primary_key=True),
                    sa.Column("label", sa.String(200), nullable=False))
    op.create_table("policies", sa.Column("exercise", sa.String(20), primary_key=True),
                    sa.Column("deadline", sa.Float, nullable=True), sa.Column("late", sa.String(20), nullable=False),
                    sa.Column("penalty_per_day", sa.Float, nullable=False),
                    sa.Column("before", sa.String(10), nullable=False), sa.Column("after", sa.String(10), nullable=False),
                    sa.Column("capacity", sa.Integer, nullable=False), sa.Column("refill_s", sa.Float, nullable=False))
    op.create_table("extensions", sa.Column("student", sa.String(200), sa.ForeignKey("students.id"), primary_key=True),
                    sa.Column("exercise", sa.String(20), primary_key=True), sa.Column("deadline", sa.Float, nullable=False))
    op.create_table("buckets", sa.Column("student", sa.String(200), sa.ForeignKey("students.id"), primary_key=True),
                    sa.Column("exercise", sa.String(20), primary_key=True), sa.Column("tokens", sa.Float, nullable=False),
                    sa.Column("updated", sa.Float, nullable=False))
    op.create_table(
        "submissions", sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("student", sa.String(200), sa.ForeignKey("students.id"), nullable=False),
        sa.Column("exercise", sa.String(20), nullable=False), sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("content", sa.LargeBinary, nullable=False), sa.Column("state", sa.String(12), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False), sa.Column("created", sa.Float, nullable=False),
        sa.Column("started", sa.Float, nullable=True), sa.Column("finished", sa.Float, nullable=True),
        sa.Column("lease_until", sa.Float, nullable=True), sa.Column("worker", sa.String(200), nullable=False),
        sa.Column("late", sa.Boolean, nullable=False), sa.Column("score", sa.Integer, nullable=True),
        sa.Column("max_score", sa.Integer, nullable=True), sa.Column("report", sa.Text, nullable=True),
        sa.Column("error", sa.Text, nullable=False), sa.Column("refunded", sa.Boolean, nullable=False))
    for column in ("student", "exercise", "state", "created"):
        op.create_index(f"ix_submissions_{column}", "submissions", [column])
    op.create_table("settings", sa.Column("key", sa.String(100), primary_key=True),
                    sa.Column("value", sa.Text, nullable=False))
