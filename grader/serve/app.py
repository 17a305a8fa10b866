"""The service's HTTP interface (FastAPI; served by uvicorn).

Students authenticate with their token (`Authorization: Bearer ...`) and see only their own
submissions: another student's id answers 404, as an unknown one does. Instructors use an
instructor token, as a bearer token for the API or through the dashboard's login form (an
HttpOnly, SameSite=Strict cookie; its forms also carry a CSRF token, grader/serve/csrf.py).
Student text reaches the dashboard only through Jinja's autoescaping.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from sqlalchemy import select

from grader.serve import csrf, receipts, tokens
from grader.serve.store import Store
from grader.serve.tables import Instructor, Student

MAX_UPLOAD = 1 << 20
COOKIE = "gengrade_instructor"


class Service:
    """What the routes share: the store and the signing key."""

    def __init__(self, store: Store, key_path: Path):
        self.store, self.key = store, receipts.load_or_create(key_path)


def create_app(store: Store, key_path: Path) -> FastAPI:
    app = FastAPI(title="gengrade", docs_url=None, redoc_url=None, openapi_url=None)
    app.state.service = Service(store, key_path)
    from grader.serve import routes_instructor, routes_student

    app.include_router(routes_student.router)
    app.include_router(routes_instructor.router)
    app.add_exception_handler(csrf.Refused, routes_instructor.refused)
    return app


def service(request: Request) -> Service:
    return request.app.state.service


def bearer(request: Request) -> str:
    header = request.headers.get("authorization", "")
    return header[7:].strip() if header.lower().startswith("bearer ") else ""


def current_student(request: Request, svc: Service = Depends(service)) -> Student:
    token = bearer(request)
    with svc.store.transaction() as session:
        student = session.scalar(select(Student).where(Student.token_hash == tokens.digest(token))) if token else None
    if student is None:
        raise HTTPException(401, "a valid student token is needed (gengrade submit --token, or GENGRADE_TOKEN)",
                            headers={"WWW-Authenticate": "Bearer"})
    return student


async def forms_guarded(request: Request) -> None:
    """A change made through the session cookie (not a bearer token) must carry the form's token."""
    cookie = request.cookies.get(COOKIE, "")
    if cookie and not bearer(request):
        await csrf.check_session(request, cookie)


def current_instructor(request: Request, svc: Service = Depends(service),
                       _: None = Depends(forms_guarded)) -> Instructor:
    token = bearer(request) or request.cookies.get(COOKIE, "")
    with svc.store.transaction() as session:
        found = session.get(Instructor, tokens.digest(token)) if token else None
    if found is None:
        if "text/html" in request.headers.get("accept", ""):
            raise HTTPException(303, headers={"Location": "/login"})
        raise HTTPException(401, "an instructor token is needed", headers={"WWW-Authenticate": "Bearer"})
    return found
