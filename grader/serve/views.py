"""What the service shows, computed from the database: a submission as its owner may see it,
the class statistics of the dashboard, and the gradebook."""

from __future__ import annotations

import json
import statistics
from collections import Counter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from grader import course
from grader.serve import jobs, policy
from grader.serve.tables import Extension, Student, Submission

FINAL = (jobs.DONE, jobs.FAILED, jobs.SUPERSEDED)


def deadline_of(session: Session, student: str, exercise: str) -> float | None:
    extension = session.get(Extension, (student, exercise))
    return policy.deadline_for(jobs.policy_of(session, exercise), extension.deadline if extension else None)


def position(session: Session, job: Submission) -> int:
    """1 for the next job to run."""
    if job.state != jobs.QUEUED:
        return 0
    return 1 + session.scalar(select(func.count()).select_from(Submission).where(
        Submission.state == jobs.QUEUED, Submission.created < job.created))


def submission_view(session: Session, job: Submission, now: float) -> dict[str, Any]:
    """A submission as its owner sees it: state, queue position, and the report as the policy allows."""
    view = {"id": job.id, "exercise": job.exercise, "state": job.state, "created": job.created,
            "finished": job.finished, "late": job.late, "sha256": job.sha256, "position": position(session, job)}
    if job.state == jobs.FAILED:
        view["error"] = job.error
    if job.state == jobs.DONE and job.report:
        deadline = deadline_of(session, job.student, job.exercise)
        rules = jobs.policy_of(session, job.exercise)
        mode = rules.after if policy.is_late(deadline, now) else rules.before
        view["report"], view["feedback"] = policy.visible(json.loads(job.report), mode), mode
    return view


def receipt_fields(job: Submission) -> dict[str, Any]:
    return {"submission": job.id, "student": job.student, "exercise": job.exercise, "sha256": job.sha256,
            "submitted": round(job.created, 3), "graded": round(job.finished or 0.0, 3), "state": job.state,
            "score": job.score, "max_score": job.max_score, "late": job.late}


def percentile(values: list[float], q: float) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))]


def class_stats(session: Session) -> dict[str, Any]:
    """The dashboard's numbers: the live queue, time to feedback, pass rates, named mistakes."""
    done = session.scalars(select(Submission).where(Submission.state == jobs.DONE)).all()
    waits = [j.finished - j.created for j in done if j.finished]
    checks: dict[tuple[str, str], list[int]] = {}
    mistakes: Counter = Counter()
    for job in done:
        for check in json.loads(job.report or '{"checks": []}')["checks"]:
            tally = checks.setdefault((job.exercise, check["title"]), [0, 0])
            tally[0] += check["outcome"] == "pass"
            tally[1] += 1
            if check.get("misconception"):
                mistakes[(job.exercise, check["misconception"])] += 1
    states = Counter(session.scalars(select(Submission.state)).all())
    running = session.scalars(select(Submission).where(Submission.state.in_((jobs.QUEUED, jobs.RUNNING)))
                              .order_by(Submission.created)).all()
    return {"states": dict(states), "queue": running, "p50": percentile(waits, 0.5), "p95": percentile(waits, 0.95),
            "checks": [{"exercise": e, "title": t, "passed": p, "total": n} for (e, t), (p, n) in sorted(checks.items())],
            "mistakes": [{"exercise": e, "id": m, "count": c} for (e, m), c in mistakes.most_common()],
            "students": session.scalar(select(func.count()).select_from(Student))}


def gradebook_csv(session: Session, now: float) -> str:
    """The gradebook of `gengrade grade`'s format: each student's newest graded submission per
    exercise, with the late policy's penalty applied and said in the notes."""
    from grader.grade.outputs import gradebook

    exercises = course.all_exercises()
    students = [s.id for s in session.scalars(select(Student).order_by(Student.id))]
    reports, late, problems = {}, {}, {}
    graded = session.scalars(select(Submission).where(Submission.state == jobs.DONE).order_by(Submission.created)).all()
    for job in graded:  # later rows replace earlier ones: the newest counts
        deadline = deadline_of(session, job.student, job.exercise)
        score = policy.penalised(job.score or 0, jobs.policy_of(session, job.exercise), deadline, job.created)
        reports[(job.student, job.exercise)] = {"score": round(score, 2)}
        late.setdefault(job.student, {})[job.exercise] = f"{job.exercise} late: {job.score} -> {round(score, 2)}" \
            if score != job.score else None
    notes = {s: "; ".join(n for n in by.values() if n) for s, by in late.items() if any(by.values())}
    return gradebook(students, exercises, reports, problems, notes)
