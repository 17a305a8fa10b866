"""Instructors' routes: the dashboard (server-rendered, refreshed every few seconds), the roster,
deadlines, extensions and feedback policies, regrades, and the gradebook."""

from __future__ import annotations

import datetime as dt
import functools
import json
import time
from pathlib import Path

from fastapi import APIRouter, Body, Depends, Form, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, RedirectResponse, Response
from pydantic import BaseModel, Field
from sqlalchemy import select

from grader.errors import UsageError
from grader.serve import csrf, jobs, people, policy, tokens, views
from grader.serve.app import COOKIE, Service, current_instructor, service
from grader.serve.routes_student import exercise_or_404
from grader.serve.tables import Extension, Instructor, Policy, Student, Submission

router = APIRouter()
TEMPLATES = Path(__file__).with_name("templates")


@functools.cache
def templates():
    """One Jinja environment for the process: it compiles each template once, not per request."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True),
                      undefined=StrictUndefined)
    env.filters["when"] = lambda t: dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC") \
        if t else "-"
    env.filters["seconds"] = lambda s: "-" if s is None else f"{s:.1f} s"
    return env


def page(name: str, status_code: int = 200, **context) -> HTMLResponse:
    return HTMLResponse(templates().get_template(f"{name}.html.j2").render(**context), status_code=status_code,
                        headers={"Content-Security-Policy": "default-src 'self'; style-src 'unsafe-inline'"})


def refused(request: Request, exc: csrf.Refused) -> Response:
    """A refused form: a browser gets the sign-in form again (with a fresh token) or a page that
    says to reload; an API client gets the usual JSON."""
    if "text/html" not in request.headers.get("accept", ""):
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)
    if request.url.path == "/login":
        return login_page(exc.detail, status_code=exc.status_code)
    return page("refused", status_code=exc.status_code, message=exc.detail)


def login_page(error: str, status_code: int = 200) -> HTMLResponse:
    """The sign-in form, with a fresh double-submit token in the form and in a cookie."""
    token = csrf.new_login_token()
    response = page("login", status_code=status_code, error=error, csrf=token)
    response.set_cookie(csrf.LOGIN_COOKIE, token, httponly=True, samesite="strict", max_age=3600)
    return response


@router.get("/login", response_class=HTMLResponse)
def login_form() -> HTMLResponse:
    return login_page("")


@router.post("/login", dependencies=[Depends(csrf.check_login)])
def login(token: str = Form(...), svc: Service = Depends(service)):
    with svc.store.transaction() as session:
        known = session.get(Instructor, tokens.digest(token)) is not None
    if not known:
        return login_page("That is not an instructor token.")
    response = RedirectResponse("/dashboard", status_code=303)
    response.set_cookie(COOKIE, token, httponly=True, samesite="strict", max_age=12 * 3600)
    response.delete_cookie(csrf.LOGIN_COOKIE)
    return response


@router.post("/logout")
def logout(_: Instructor = Depends(current_instructor)):
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE)
    return response


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, _: Instructor = Depends(current_instructor),
              svc: Service = Depends(service)) -> HTMLResponse:
    form_token = csrf.session_token(request.cookies.get(COOKIE, ""))
    with svc.store.transaction() as session:
        stats = views.class_stats(session)
        students = session.scalars(select(Student).order_by(Student.id)).all()
        return page("dashboard", stats=stats, students=students, now=time.time(), csrf=form_token)


@router.get("/dashboard/students/{student_id}", response_class=HTMLResponse)
def history(student_id: str, _: Instructor = Depends(current_instructor), svc: Service = Depends(service)):
    with svc.store.transaction() as session:
        student = session.get(Student, student_id)
        if student is None:
            raise HTTPException(404, "no such student")
        found = session.scalars(select(Submission).where(Submission.student == student_id)
                                .order_by(Submission.created.desc())).all()
        rows = [{"job": j, "report": json.loads(j.report) if j.report else None} for j in found]
        return page("student", student=student, rows=rows)


@router.post("/dashboard/regrade")
def regrade_form(student: str = Form(""), exercise: str = Form(""), _: Instructor = Depends(current_instructor),
                 svc: Service = Depends(service)):
    with svc.store.transaction() as session:
        jobs.regrade(session, time.time(), student or None, exercise or None)
    return RedirectResponse("/dashboard", status_code=303)


@router.post("/api/roster", response_class=PlainTextResponse)
def roster(text: str = Body(..., media_type="text/csv"), reissue: bool = False,
           _: Instructor = Depends(current_instructor), svc: Service = Depends(service)) -> str:
    """Import a roster CSV; the answer is a CSV of the tokens issued (shown only this once)."""
    try:
        rows = people.read_roster(text)
    except UsageError as exc:
        raise HTTPException(400, str(exc)) from None
    with svc.store.transaction() as session:
        return people.tokens_csv(people.import_roster(session, rows, reissue))


class PolicyIn(BaseModel):
    deadline: float | None = None
    late: str = Field("accept", pattern="^(accept|refuse|penalty)$")
    penalty_per_day: float = Field(0.0, ge=0, le=1)
    before: str = Field("full", pattern="^(full|names|score)$")
    after: str = Field("full", pattern="^(full|names|score)$")
    capacity: int = Field(5, ge=1, le=1000)
    refill_s: float = Field(600.0, gt=0)


@router.put("/api/policies/{exercise}")
def set_policy(exercise: str, rules: PolicyIn, _: Instructor = Depends(current_instructor),
               svc: Service = Depends(service)) -> dict:
    exercise_or_404(exercise)
    with svc.store.transaction() as session:
        session.merge(Policy(exercise=exercise, **rules.model_dump()))
    return {"exercise": exercise, **rules.model_dump()}


class ExtensionIn(BaseModel):
    deadline: float


@router.put("/api/extensions/{student}/{exercise}")
def extend(student: str, exercise: str, extension: ExtensionIn, _: Instructor = Depends(current_instructor),
           svc: Service = Depends(service)) -> dict:
    exercise_or_404(exercise)
    with svc.store.transaction() as session:
        if session.get(Student, student) is None:
            raise HTTPException(404, "no such student")
        session.merge(Extension(student=student, exercise=exercise, deadline=extension.deadline))
    return {"student": student, "exercise": exercise, "deadline": extension.deadline}


class RegradeIn(BaseModel):
    student: str | None = None
    exercise: str | None = None


@router.post("/api/regrade")
def regrade(which: RegradeIn, _: Instructor = Depends(current_instructor), svc: Service = Depends(service)) -> dict:
    with svc.store.transaction() as session:
        return {"queued": jobs.regrade(session, time.time(), which.student, which.exercise)}


@router.get("/api/gradebook.csv", response_class=PlainTextResponse)
def gradebook(_: Instructor = Depends(current_instructor), svc: Service = Depends(service)) -> PlainTextResponse:
    with svc.store.transaction() as session:
        return PlainTextResponse(views.gradebook_csv(session, time.time()), media_type="text/csv")


@router.get("/api/stats")
def stats(_: Instructor = Depends(current_instructor), svc: Service = Depends(service)) -> dict:
    with svc.store.transaction() as session:
        found = views.class_stats(session)
    found["queue"] = [{"id": j.id, "student": j.student, "exercise": j.exercise, "state": j.state}
                      for j in found["queue"]]
    return found
