"""Students' routes: submit, follow a submission's progress (server-sent events), read its
feedback as the course's policy allows, fetch its signed receipt. Only their own submissions."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import time

from fastapi import APIRouter, Depends, File, Form, HTTPException, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse
from sqlalchemy import select

from grader import course
from grader.errors import UsageError
from grader.serve import jobs, policy, receipts, views
from grader.serve.app import MAX_UPLOAD, Service, current_student, service
from grader.serve.tables import Student, Submission

router = APIRouter()
EVENT_POLL_S = 0.2
KEEPALIVE_S = 15.0


def exercise_or_404(exercise_id: str) -> course.Exercise:
    try:
        return course.exercise_by_id(exercise_id)
    except UsageError:
        raise HTTPException(404, f"no exercise {exercise_id!r}") from None


def readable_source(data: bytes) -> str:
    if len(data) > MAX_UPLOAD:
        raise HTTPException(413, f"the file is over {MAX_UPLOAD >> 20} MiB")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise HTTPException(400, "the file is not UTF-8 text: upload the .py stub file") from None
    if "\x00" in text:
        raise HTTPException(400, "the file holds NUL bytes: upload the .py stub file")
    return text


@router.post("/api/submissions", status_code=201)
async def submit(exercise: str = Form(...), file: UploadFile = File(...), student: Student = Depends(current_student),
                 svc: Service = Depends(service)) -> dict:
    target = exercise_or_404(exercise)
    data = await file.read(MAX_UPLOAD + 1)
    readable_source(data)
    return await run_in_threadpool(_enqueue, svc, student.id, target.id, data)


def _enqueue(svc: Service, student: str, exercise: str, data: bytes) -> dict:
    now = time.time()
    with svc.store.transaction() as session:
        rules = jobs.policy_of(session, exercise)
        late = policy.is_late(views.deadline_of(session, student, exercise), now)
        if late and rules.late == "refuse":
            raise HTTPException(403, f"the deadline for {exercise} has passed; late submissions are not accepted")
        drawn = jobs.take_token(session, student, exercise, rules, now)
        if not drawn.allowed:
            raise HTTPException(429, f"no submissions of {exercise} left for now: the next one is possible in "
                                f"{int(drawn.retry_after_s)} s (a submission that passes every check costs nothing)",
                                headers={"Retry-After": str(int(drawn.retry_after_s))})
        job = jobs.enqueue(session, student, exercise, data, hashlib.sha256(data).hexdigest(), now, late)
        session.flush()
        return views.submission_view(session, job, now) | {"tokens_left": int(drawn.tokens)}


def own(session, job_id: str, student: Student) -> Submission:
    job = session.get(Submission, job_id)
    if job is None or job.student != student.id:
        raise HTTPException(404, "no such submission")  # another student's looks like none at all
    return job


@router.get("/api/submissions")
def mine(student: Student = Depends(current_student), svc: Service = Depends(service)) -> list[dict]:
    now = time.time()
    with svc.store.transaction() as session:
        found = session.scalars(select(Submission).where(Submission.student == student.id).order_by(Submission.created))
        return [views.submission_view(session, job, now) for job in found]


@router.get("/api/submissions/{job_id}")
def one(job_id: str, student: Student = Depends(current_student), svc: Service = Depends(service)) -> dict:
    with svc.store.transaction() as session:
        return views.submission_view(session, own(session, job_id, student), time.time())


@router.get("/api/submissions/{job_id}/receipt")
def receipt(job_id: str, student: Student = Depends(current_student), svc: Service = Depends(service)) -> dict:
    with svc.store.transaction() as session:
        job = own(session, job_id, student)
        if job.state not in (jobs.DONE, jobs.FAILED):
            raise HTTPException(409, f"the submission is {job.state}: a receipt comes with its result")
        return receipts.sign(svc.key, views.receipt_fields(job))


@router.get("/api/key")
def key(svc: Service = Depends(service)) -> dict:
    public = receipts.public_bytes(svc.key.public_key())
    return {"public_key": base64.b64encode(public).decode(), "fingerprint": receipts.fingerprint(public)}


@router.get("/api/submissions/{job_id}/events")
async def events(job_id: str, student: Student = Depends(current_student), svc: Service = Depends(service)):
    """Server-sent events: `state` on every change (with the queue position), then `result`."""
    def snapshot() -> dict:
        with svc.store.transaction() as session:
            return views.submission_view(session, own(session, job_id, student), time.time())

    first = await run_in_threadpool(snapshot)  # 404 here, before the stream starts

    async def stream():
        view, last, quiet = first, None, 0.0
        while True:
            key = (view["state"], view["position"])
            if key != last:
                last, quiet = key, 0.0
                yield f"event: state\ndata: {json.dumps({k: view[k] for k in ('id', 'state', 'position')})}\n\n"
            if view["state"] in views.FINAL:
                yield f"event: result\ndata: {json.dumps(view)}\n\n"
                return
            await asyncio.sleep(EVENT_POLL_S)
            quiet += EVENT_POLL_S
            if quiet >= KEEPALIVE_S:
                quiet = 0.0
                yield ": keep-alive\n\n"
            view = await run_in_threadpool(snapshot)

    return StreamingResponse(stream(), media_type="text/event-stream",
                             headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
