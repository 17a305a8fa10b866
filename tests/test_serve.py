"""The grading service against real databases (SQLite, and PostgreSQL when there is one): the
queue's promises (newest replaces queued, a lost worker's job retried once then reported, no job
lost or run twice), submission tokens under concurrent requests, the course's feedback policy,
deadlines, receipts, the gradebook, and who may see what, for every endpoint."""

from __future__ import annotations

import base64
import json
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from grader import course
from grader.serve import csrf, jobs, people, policy, receipts, worker
from grader.serve.app import create_app
from grader.serve.store import Store
from grader.serve.tables import Policy, Submission
from serve_support import database_params, fresh_url

ROOT = Path(__file__).resolve().parents[1]
RIGHT = (ROOT / "solutions/c5/kl_loss.py").read_bytes()
NO_HALF = (ROOT / "tests/catalog/c5/mutants/missing_half.py").read_bytes()


@pytest.fixture(params=database_params())
def service(request, tmp_path):
    store = Store(fresh_url(request.param, tmp_path))
    app = create_app(store, tmp_path / "key.pem")
    with store.transaction() as session:
        issued = people.import_roster(session, [("s1", "Ada"), ("s2", "<script>alert(1)</script>")])
        admin = people.add_instructor(session, "test")
    tokens = {student: token for student, _, token in issued}
    client = TestClient(app)
    yield {"store": store, "client": client, "tokens": tokens, "admin": admin, "key": tmp_path / "key.pem"}
    client.close()
    store.close()


def auth(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def post(svc, student: str, source: bytes = RIGHT, exercise: str = "c5"):
    return svc["client"].post("/api/submissions", data={"exercise": exercise},
                              files={"file": ("kl_loss.py", source)}, headers=auth(svc["tokens"][student]))


def set_policy(svc, exercise: str = "c5", **rules):
    done = svc["client"].put(f"/api/policies/{exercise}", json=rules, headers=auth(svc["admin"]))
    assert done.status_code == 200, done.text


def work_until_empty(svc, timeout: float = 120) -> None:
    """Run a real worker (a warm lane) until no job is queued or running."""
    stop = threading.Event()
    thread = threading.Thread(target=worker.run, args=(svc["store"].url, "test-worker", None, stop))
    thread.start()
    deadline = time.time() + timeout
    try:
        while time.time() < deadline:
            with svc["store"].transaction() as session:
                busy = session.query(Submission).filter(Submission.state.in_((jobs.QUEUED, jobs.RUNNING))).count()
            if not busy:
                return
            time.sleep(0.2)
        raise AssertionError("the queue did not drain")
    finally:
        stop.set()
        thread.join(timeout=60)


# --- the pure rules ----------------------------------------------------------------------------

def test_the_bucket_refills_one_token_per_period_up_to_capacity():
    assert policy.refill(0.0, 100.0, 400.0, 5, 600.0) == pytest.approx(0.5)
    assert policy.refill(4.5, 0.0, 10_000.0, 5, 600.0) == 5.0
    assert policy.draw(0.2, 100.0, 400.0, 5, 600.0) == policy.Draw(False, pytest.approx(0.7), 180)
    assert policy.draw(1.2, 0.0, 0.0, 5, 600.0) == policy.Draw(True, pytest.approx(0.2), 0.0)


def test_a_late_penalty_counts_started_days():
    rules = Policy(exercise="c5", late="penalty", penalty_per_day=0.25)
    assert policy.penalised(8, rules, 1000.0, 1000.0) == 8.0
    assert policy.penalised(8, rules, 1000.0, 1001.0) == 6.0
    assert policy.penalised(8, rules, 1000.0, 1000.0 + 2 * policy.DAY + 1) == 2.0
    assert policy.penalised(8, rules, 1000.0, 1000.0 + 9 * policy.DAY) == 0.0
    assert policy.penalised(8, Policy(exercise="c5", late="accept"), 1000.0, 5e9) == 8.0


def test_feedback_modes_show_what_they_say():
    report = {"exercise": "c5", "title": "t", "score": 1, "max_score": 3, "status": "failed", "headline": "",
              "checks": [{"name": "a", "title": "A", "outcome": "pass", "points": 1, "max_points": 1, "public": True,
                          "message": "", "misconception": None},
                         {"name": "b", "title": "B", "outcome": "fail", "points": 0, "max_points": 2, "public": False,
                          "message": "got 2, expected 1", "misconception": "missing-half"}]}
    assert policy.visible(report, "full") == report
    names = policy.visible(report, "names")
    assert [c.get("message") for c in names["checks"]] == ["", None] and "missing-half" not in json.dumps(names)
    assert policy.visible(report, "score") == {"exercise": "c5", "title": "t", "score": 1, "max_score": 3,
                                               "status": "failed", "checks": []}


def test_receipts_verify_and_any_change_breaks_them(tmp_path):
    key = receipts.load_or_create(tmp_path / "k.pem")
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    assert receipts.load_or_create(tmp_path / "k.pem").public_key().public_bytes_raw() == key.public_key().public_bytes_raw()
    signed = receipts.sign(key, {"student": "s1", "score": 7})
    assert receipts.verify(signed)
    for field, value in (("score", 10), ("student", "s2")):
        forged = json.loads(json.dumps(signed))
        forged["receipt"][field] = value
        assert not receipts.verify(forged)
    other = receipts.load_or_create(tmp_path / "other.pem")
    resigned = receipts.sign(other, {"student": "s1", "score": 10})
    assert receipts.verify(resigned) and not receipts.verify(resigned, receipts.public_bytes(key.public_key()))
    assert not receipts.verify({"receipt": {}, "signature": "!!", "public_key": "x"})


# --- the service --------------------------------------------------------------------------------

def test_a_submission_is_graded_with_its_receipt(service):
    sent = post(service, "s1")
    assert sent.status_code == 201 and sent.json()["state"] == "queued" and sent.json()["position"] == 1
    work_until_empty(service)
    client, job = service["client"], sent.json()["id"]
    view = client.get(f"/api/submissions/{job}", headers=auth(service["tokens"]["s1"])).json()
    assert view["state"] == "done" and view["report"]["score"] == 10 and view["feedback"] == "full"
    events = client.get(f"/api/submissions/{job}/events", headers=auth(service["tokens"]["s1"])).text
    assert "event: result" in events and '"score": 10' in events
    receipt = client.get(f"/api/submissions/{job}/receipt", headers=auth(service["tokens"]["s1"])).json()
    assert receipts.verify(receipt) and receipt["receipt"]["score"] == 10 and receipt["receipt"]["student"] == "s1"
    published = client.get("/api/key").json()
    assert receipts.verify(receipt, base64.b64decode(published["public_key"]))


def test_newest_submission_replaces_the_queued_one_and_nothing_is_lost(service):
    first, second = post(service, "s1", NO_HALF).json(), post(service, "s1", RIGHT).json()
    other = post(service, "s2", NO_HALF).json()
    work_until_empty(service)
    with service["store"].transaction() as session:
        states = {j.id: (j.state, j.score, j.attempts) for j in session.query(Submission)}
    assert states[first["id"]][0] == "superseded" and states[second["id"]] == ("done", 10, 1)
    assert states[other["id"]][0] == "done" and states[other["id"]][1] < 10


def test_a_worker_lost_mid_job_loses_nothing(service):
    store = service["store"]
    job = post(service, "s1").json()["id"]
    claimed = jobs.claim(store, "killed-worker", time.time(), lease_s=0.5)  # it dies without a word
    assert claimed.id == job
    time.sleep(0.7)
    work_until_empty(service)
    with store.transaction() as session:
        graded = session.get(Submission, job)
        assert (graded.state, graded.attempts, graded.worker, graded.score) == ("done", 2, "test-worker", 10)
    assert not jobs.finish(store, job, "killed-worker", {"score": 0, "max_score": 10}, time.time())  # too late


def test_a_job_lost_twice_is_reported_and_costs_nothing(service):
    store = service["store"]
    set_policy(service, capacity=1)
    job = post(service, "s1", NO_HALF).json()["id"]
    for name in ("w1", "w2"):
        assert jobs.claim(store, name, time.time(), lease_s=0.2).id == job
        time.sleep(0.3)
    with store.transaction() as session:
        jobs.requeue_lost(session, time.time())
    view = service["client"].get(f"/api/submissions/{job}", headers=auth(service["tokens"]["s1"])).json()
    assert view["state"] == "failed" and view["error"] == jobs.LOST_TWICE
    assert post(service, "s1", NO_HALF).status_code == 201  # the token came back


def test_tokens_refill_and_hold_under_concurrent_requests(service):
    set_policy(service, capacity=3, refill_s=3600)
    with ThreadPoolExecutor(8) as threads:
        codes = list(threads.map(lambda _: post(service, "s1", NO_HALF).status_code, range(12)))
    assert sorted(codes) == [201] * 3 + [429] * 9
    refused = post(service, "s1", NO_HALF)
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 3000
    assert post(service, "s2", NO_HALF).status_code == 201  # buckets are per student


def test_a_passing_submission_gives_its_token_back(service):
    set_policy(service, capacity=1, refill_s=3600)
    assert post(service, "s1", RIGHT).status_code == 201
    work_until_empty(service)
    assert post(service, "s1", NO_HALF).status_code == 201
    work_until_empty(service)
    assert post(service, "s1", NO_HALF).status_code == 429


def test_feedback_before_and_after_the_deadline_and_extensions(service):
    now = time.time()
    set_policy(service, deadline=now + 3600, before="score", after="full", late="refuse")
    job = post(service, "s1", NO_HALF).json()["id"]
    work_until_empty(service)
    headers = auth(service["tokens"]["s1"])
    before = service["client"].get(f"/api/submissions/{job}", headers=headers).json()
    assert before["feedback"] == "score" and before["report"]["checks"] == [] and before["report"]["score"] < 10
    set_policy(service, deadline=now - 10, before="score", after="full", late="refuse")
    after = service["client"].get(f"/api/submissions/{job}", headers=headers).json()
    assert after["feedback"] == "full" and any(c["misconception"] == "missing-half" for c in after["report"]["checks"])
    assert post(service, "s1").status_code == 403
    extended = service["client"].put("/api/extensions/s1/c5", json={"deadline": now + 3600}, headers=auth(service["admin"]))
    assert extended.status_code == 200 and post(service, "s1").status_code == 201
    assert post(service, "s2").status_code == 403


def test_the_gradebook_has_grades_format_and_applies_late_penalties(service):
    now = time.time()
    set_policy(service, deadline=now - 2 * policy.DAY + 60, late="penalty", penalty_per_day=0.25)
    post(service, "s1", RIGHT)
    work_until_empty(service)
    rows = service["client"].get("/api/gradebook.csv", headers=auth(service["admin"])).text.splitlines()
    header = rows[0].split(",")
    assert header[0] == "student_id" and header[-2:] == ["total", "notes"]
    assert [e.id for e in course.all_exercises()] == header[1:-2]
    s1 = next(r for r in rows if r.startswith("s1,")).split(",")
    assert s1[header.index("c5")] == "5.0" and "c5 late: 10 -> 5.0" in s1[-1]
    assert any(r.startswith("s2,") for r in rows)


def test_regrade_queues_the_newest_submission_without_a_token(service):
    set_policy(service, capacity=1, refill_s=3600)
    post(service, "s1", NO_HALF)
    work_until_empty(service)
    done = service["client"].post("/api/regrade", json={"student": "s1"}, headers=auth(service["admin"]))
    assert done.json() == {"queued": 1}
    work_until_empty(service)
    with service["store"].transaction() as session:
        assert [j.state for j in session.query(Submission).order_by(Submission.created)] == ["done", "done"]
    assert post(service, "s1", NO_HALF).status_code == 429  # the regrade took no token and gave none


def test_uploads_are_limited_and_validated(service):
    assert post(service, "s1", b"x" * ((1 << 20) + 1)).status_code == 413
    assert post(service, "s1", b"\xff\xfe binary").status_code == 400
    assert post(service, "s1", b"a = 1\x00").status_code == 400
    assert post(service, "s1", RIGHT, exercise="c99").status_code == 404


ENDPOINTS = [("get", "/api/submissions"), ("post", "/api/submissions"), ("get", "/api/submissions/ID"),
             ("get", "/api/submissions/ID/events"), ("get", "/api/submissions/ID/receipt")]
INSTRUCTOR = [("post", "/api/roster"), ("put", "/api/policies/c5"), ("put", "/api/extensions/s1/c5"),
              ("post", "/api/regrade"), ("get", "/api/gradebook.csv"), ("get", "/api/stats"),
              ("get", "/dashboard/students/s1"), ("post", "/dashboard/regrade")]


def test_every_endpoint_refuses_the_wrong_people(service):
    client = service["client"]
    job = post(service, "s1").json()["id"]
    work_until_empty(service)
    for method, path in ENDPOINTS:
        assert getattr(client, method)(path.replace("ID", job)).status_code == 401, path
        assert getattr(client, method)(path.replace("ID", job), headers=auth("st_forged")).status_code == 401, path
    for method, path in ENDPOINTS[2:]:  # another student's submission does not exist for s2
        assert getattr(client, method)(path.replace("ID", job), headers=auth(service["tokens"]["s2"])).status_code == 404
    for method, path in INSTRUCTOR + [("get", "/dashboard")]:
        for token in ("", service["tokens"]["s1"]):
            got = getattr(client, method)(path, headers=auth(token) if token else {}, follow_redirects=False)
            assert got.status_code == 401, (path, token)
    html = client.get("/dashboard", headers={"Accept": "text/html"}, follow_redirects=False)
    assert html.status_code == 303 and html.headers["location"] == "/login"
    assert client.get("/api/key").status_code == 200  # the public key is public


def test_tokens_are_stored_hashed(service):
    with service["store"].engine.connect() as connection:
        dump = json.dumps([list(map(str, row)) for table in ("students", "instructors")
                           for row in connection.exec_driver_sql(f"SELECT * FROM {table}")])
    assert all(token not in dump for token in [*service["tokens"].values(), service["admin"]])


def test_a_roster_import_issues_tokens_once(service):
    client, admin = service["client"], auth(service["admin"])
    made = client.post("/api/roster", content="student_id,name\ns3,Cy\ns1,Ada\n", headers=admin | {"Content-Type": "text/csv"})
    rows = made.text.splitlines()
    assert rows[0] == "student_id,name,token" and len(rows) == 2 and rows[1].startswith("s3,Cy,st_")
    assert post(service | {"tokens": {"s3": rows[1].split(",")[2]}}, "s3").status_code == 201
    bad = client.post("/api/roster", content="id,name\nx,y\n", headers=admin | {"Content-Type": "text/csv"})
    assert bad.status_code == 400 and "student_id" in bad.json()["detail"]


def test_the_dashboard_escapes_student_text(service):
    hostile = b'def vae_kl_loss(mu, log_var):\n    print("<img src=x onerror=alert(2)>", flush=True)\n    return mu.sum()\n'
    post(service, "s2", hostile)
    work_until_empty(service)
    client = service["client"]
    client.cookies.set("gengrade_instructor", service["admin"])
    board = client.get("/dashboard").text
    assert "<script>alert(1)</script>" not in board and "&lt;script&gt;alert(1)&lt;/script&gt;" in board
    page = client.get("/dashboard/students/s2").text
    assert "<img src=x" not in page and "&lt;img src=x onerror=alert(2)&gt;" in page


def form_token(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html)[1]


def test_dashboard_forms_refuse_a_post_without_their_csrf_token(service):
    client, admin = service["client"], service["admin"]
    login_token = form_token(client.get("/login").text)
    for sent in ({}, {"csrf": "forged"}):
        refused = client.post("/login", data={"token": admin} | sent, follow_redirects=False)
        assert refused.status_code == 403 and "security token" in refused.json()["detail"]
    signed_in = client.post("/login", data={"token": admin, "csrf": login_token}, follow_redirects=False)
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/dashboard"
    board = form_token(client.get("/dashboard").text)
    another_session = csrf.session_token(admin + "x")
    for sent in ({}, {"csrf": "forged"}, {"csrf": login_token}, {"csrf": board[:-1]}, {"csrf": another_session}):
        for path in ("/dashboard/regrade", "/logout"):
            refused = client.post(path, data={"student": "s1"} | sent, follow_redirects=False)
            assert refused.status_code == 403 and "security token" in refused.json()["detail"], (path, sent)
    assert client.post("/api/regrade", json={}).status_code == 403  # the cookie alone never changes anything
    browser = {"Accept": "text/html,application/xhtml+xml"}  # a stale form in a browser gets a page, not JSON
    stale = client.post("/dashboard/regrade", data={"student": "s1", "csrf": "old"}, headers=browser)
    assert stale.status_code == 403 and stale.headers["content-type"].startswith("text/html")
    assert "reload the page and submit again" in stale.text and 'href="/dashboard"' in stale.text
    client.cookies.delete("gengrade_instructor")
    again = client.post("/login", data={"token": admin, "csrf": "old"}, headers=browser)
    assert again.status_code == 403 and "reload the page" in again.text and form_token(again.text) != login_token
    assert again.cookies.get(csrf.LOGIN_COOKIE) == form_token(again.text)  # the fresh form works as it is
    client.cookies.set("gengrade_instructor", admin)
    assert client.post("/api/regrade", json={}, headers={"X-CSRF-Token": board}).status_code == 200
    done = client.post("/dashboard/regrade", data={"student": "s1", "csrf": board}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/dashboard"
    out = client.post("/logout", data={"csrf": board}, follow_redirects=False)
    assert out.status_code == 303 and out.headers["location"] == "/login"
