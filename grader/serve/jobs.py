"""The queue of submissions to grade, in the database, so it survives restarts and workers on
other machines can share it.

- A student's newest submission replaces their queued one for the same exercise (superseded).
- Workers claim the oldest queued job with SELECT ... FOR UPDATE SKIP LOCKED on PostgreSQL
  (BEGIN IMMEDIATE serializes claims on SQLite), holding a lease they renew while grading.
- A job whose lease runs out (its worker was killed) is queued again once; lost a second time it
  fails with a reason, costs the student nothing, and is never silently dropped or run twice.
- Submission tokens: one is drawn from the student's bucket for the exercise on submission and
  given back when the result passes everything or grading failed for a reason of ours.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from grader.serve import policy
from grader.serve.store import Store
from grader.serve.tables import Bucket, Policy, Submission

QUEUED, RUNNING, DONE, FAILED, SUPERSEDED = "queued", "running", "done", "failed", "superseded"
MAX_ATTEMPTS = 2  # a job whose worker is lost is tried once more, then reported
LOST_TWICE = "grading was interrupted twice (a grading worker was lost); this cost you no submission: submit again"


def policy_of(session: Session, exercise: str) -> Policy:
    return session.get(Policy, exercise) or policy.DEFAULT


def take_token(session: Session, student: str, exercise: str, rules: Policy, now: float) -> policy.Draw:
    """Draw one submission token (the bucket row is locked for the rest of the transaction)."""
    make = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    session.execute(make(Bucket).values(student=student, exercise=exercise, tokens=float(rules.capacity),
                                        updated=now).on_conflict_do_nothing())
    bucket = session.scalars(select(Bucket).where(Bucket.student == student, Bucket.exercise == exercise)
                             .with_for_update()).one()
    drawn = policy.draw(bucket.tokens, bucket.updated, now, rules.capacity, rules.refill_s)
    bucket.tokens, bucket.updated = drawn.tokens, now
    return drawn


def give_back(session: Session, job: Submission, rules: Policy, now: float) -> None:
    """Return the token a submission took (once)."""
    if job.refunded:
        return
    bucket = session.get(Bucket, (job.student, job.exercise), with_for_update=True)
    if bucket is not None:
        bucket.tokens = min(float(rules.capacity), policy.refill(
            bucket.tokens, bucket.updated, now, rules.capacity, rules.refill_s) + 1.0)
        bucket.updated = now
    job.refunded = True


def enqueue(session: Session, student: str, exercise: str, content: bytes, sha256: str, now: float,
            late: bool, charged: bool = True) -> Submission:
    """Queue a submission, superseding the student's queued one for the same exercise. `charged`:
    it took a token (a regrade takes none, so none comes back)."""
    session.execute(update(Submission).where(Submission.student == student, Submission.exercise == exercise,
                                             Submission.state == QUEUED).values(state=SUPERSEDED, finished=now))
    job = Submission(id=str(uuid.uuid4()), student=student, exercise=exercise, sha256=sha256, content=content,
                     state=QUEUED, attempts=0, created=now, worker="", late=late, error="", refunded=not charged)
    session.add(job)
    return job


def requeue_lost(session: Session, now: float) -> int:
    """Queue again (or fail, the second time) every running job whose lease has run out."""
    lost = session.scalars(select(Submission).where(Submission.state == RUNNING, Submission.lease_until < now)
                           .with_for_update(skip_locked=True)).all()
    for job in lost:
        if job.attempts < MAX_ATTEMPTS:
            job.state, job.worker, job.lease_until = QUEUED, "", None
        else:
            job.state, job.finished, job.error = FAILED, now, LOST_TWICE
            give_back(session, job, policy_of(session, job.exercise), now)
    return len(lost)


def claim(store: Store, worker: str, now: float, lease_s: float) -> Submission | None:
    """The oldest queued job, now running on `worker` under a lease, or None."""
    with store.transaction() as session:
        requeue_lost(session, now)
        job = session.scalars(select(Submission).where(Submission.state == QUEUED).order_by(Submission.created)
                              .limit(1).with_for_update(skip_locked=True)).first()
        if job is not None:
            job.state, job.started, job.worker, job.lease_until = RUNNING, now, worker, now + lease_s
            job.attempts += 1
        return job


def renew(store: Store, job_id: str, worker: str, lease_until: float) -> bool:
    """Extend a running job's lease; False when it is no longer this worker's."""
    with store.transaction() as session:
        done = session.execute(update(Submission).where(Submission.id == job_id, Submission.worker == worker,
                                                        Submission.state == RUNNING).values(lease_until=lease_until))
        return done.rowcount == 1


def finish(store: Store, job_id: str, worker: str, report: dict[str, Any], now: float) -> bool:
    """Record a graded job; False (and nothing written) if the job was taken from this worker."""
    with store.transaction() as session:
        job = session.get(Submission, job_id, with_for_update=True)
        if job is None or job.state != RUNNING or job.worker != worker:
            return False
        job.state, job.finished, job.report = DONE, now, json.dumps(report)
        job.score, job.max_score = report["score"], report["max_score"]
        if report["score"] == report["max_score"]:
            give_back(session, job, policy_of(session, job.exercise), now)
        return True


def fail(store: Store, job_id: str, worker: str, error: str, now: float) -> bool:
    """Record that grading itself failed (our fault, not the student's): the token comes back."""
    with store.transaction() as session:
        job = session.get(Submission, job_id, with_for_update=True)
        if job is None or job.state != RUNNING or job.worker != worker:
            return False
        job.state, job.finished, job.error = FAILED, now, error[:2000]
        give_back(session, job, policy_of(session, job.exercise), now)
        return True


def regrade(session: Session, now: float, student: str | None = None, exercise: str | None = None) -> int:
    """Queue again the newest graded submission of each (student, exercise) matching the filter."""
    query = select(Submission).where(Submission.state.in_((DONE, FAILED))).order_by(Submission.created.desc())
    if student:
        query = query.where(Submission.student == student)
    if exercise:
        query = query.where(Submission.exercise == exercise)
    newest: dict[tuple[str, str], Submission] = {}
    for job in session.scalars(query).all():
        newest.setdefault((job.student, job.exercise), job)
    for job in newest.values():
        enqueue(session, job.student, job.exercise, job.content, job.sha256, now, job.late, charged=False)
    return len(newest)
