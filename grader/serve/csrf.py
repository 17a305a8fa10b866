"""Cross-site request forgery guard for the dashboard's forms (defence beside the SameSite=Strict
cookie, which older browsers and some proxies do not honour).

Signed-in forms carry a synchronizer token bound to the instructor's session: an HMAC of a fixed
label keyed by the session cookie's secret, so it needs no server state, survives a restart, and
a page from another site can neither read nor compute it. The sign-in form, which has no session
yet, uses a double-submit cookie. Both are compared with `hmac.compare_digest`. Requests that
carry a bearer token are not forgeable by a browser and need none.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from fastapi import HTTPException, Request

FIELD = "csrf"
HEADER = "x-csrf-token"
LOGIN_COOKIE = "gengrade_login_csrf"
SAFE = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED = ("this form's security token is missing or wrong (the page may be stale, or the request came "
           "from another site): reload the page and submit again.")


def session_token(secret: str) -> str:
    """The token that the signed-in session with cookie `secret` puts in its forms."""
    return hmac.new(secret.encode("utf-8", "replace"), b"gengrade dashboard form", hashlib.sha256).hexdigest()


def new_login_token() -> str:
    return secrets.token_urlsafe(32)


def matches(sent: str, expected: str) -> bool:
    return bool(sent) and bool(expected) and hmac.compare_digest(sent.encode(), expected.encode())


async def sent_token(request: Request) -> str:
    """The token a request carries: the X-CSRF-Token header, else the form field `csrf`."""
    if request.headers.get(HEADER):
        return request.headers[HEADER]
    if request.headers.get("content-type", "").startswith(("application/x-www-form-urlencoded",
                                                            "multipart/form-data")):
        value = (await request.form()).get(FIELD)
        return value if isinstance(value, str) else ""
    return ""


class Refused(HTTPException):
    """A missing or wrong form token: a browser gets a page saying what to do, an API client JSON."""

    def __init__(self):
        super().__init__(403, REFUSED)


async def check_session(request: Request, secret: str) -> None:
    """Refuse an unsafe request authenticated by the session cookie unless it carries its token."""
    if request.method not in SAFE and not matches(await sent_token(request), session_token(secret)):
        raise Refused()


async def check_login(request: Request) -> None:
    """Refuse a sign-in whose form token differs from the double-submit cookie set with the form."""
    if not matches(await sent_token(request), request.cookies.get(LOGIN_COOKIE, "")):
        raise Refused()
