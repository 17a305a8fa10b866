"""The service as a new instructor and students run it: `gengrade serve` in its own process on a
real port (SQLite and PostgreSQL), `gengrade serve roster`, `gengrade submit` streaming its
feedback, `gengrade receipt verify`; a worker killed with SIGKILL mid-job and the server
restarted mid-queue lose nothing; the dashboard used in headless Chromium (Playwright)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from serve_support import database_params, fresh_url

ROOT = Path(__file__).resolve().parents[1]
SLOW = (b"import time\nslept = []\n\ndef vae_kl_loss(mu, log_var):\n    if not slept:  # the first call only: the job runs long enough to be killed\n"
        b"        slept.append(1)\n        time.sleep(8)\n    return (0.5 * (mu**2 + log_var.exp() - 1 - log_var)).flatten(1).sum(1).mean()\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def gengrade(*args: str, cwd: Path, env: dict | None = None, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env={**os.environ, **(env or {})})


class Server:
    def __init__(self, cwd: Path, url: str, workers: int = 1):
        self.cwd, self.url, self.port = cwd, url, free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.start()

    def start(self) -> None:
        self.log = open(self.cwd / "server.log", "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--database", self.url, "--port",
                                      str(self.port), "--workers", str(self.workers)], cwd=self.cwd,
                                     stdout=self.log, stderr=self.log, start_new_session=True)
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                if httpx.get(self.base + "/api/key", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.3)
        raise AssertionError((self.cwd / "server.log").read_text())

    def stop(self, signum: int = signal.SIGTERM) -> None:
        os.killpg(self.proc.pid, signum)
        self.proc.wait(timeout=60)
        self.log.close()


@pytest.fixture(params=database_params())
def course_server(request, tmp_path):
    url = fresh_url(request.param, tmp_path)
    (tmp_path / "roster.csv").write_text("student_id,name\ns1,Ada\ns2,Bo\n")
    made = gengrade("serve", "roster", "roster.csv", "--database", url, cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    rows = [line.split(",") for line in made.stdout.splitlines()[1:]]
    admin = gengrade("serve", "instructor", "--database", url, cwd=tmp_path).stdout.strip()
    server = Server(tmp_path, url)
    yield server, {r[0]: r[2].strip() for r in rows}, admin
    server.stop()


def exercise_copy(tmp_path: Path, source: bytes) -> Path:
    folder = tmp_path / "work" / "c5"
    shutil.copytree(ROOT / "exercises/c5", folder, dirs_exist_ok=True)
    (folder / "kl_loss.py").write_bytes(source)
    return folder


def test_submit_streams_feedback_and_keeps_a_verifiable_receipt(course_server, tmp_path):
    server, tokens, _ = course_server
    folder = exercise_copy(tmp_path, (ROOT / "solutions/c5/kl_loss.py").read_bytes())
    state = {"XDG_STATE_HOME": str(tmp_path / "state")}
    done = gengrade("submit", str(folder), "--server", server.base, "--token", tokens["s1"], cwd=tmp_path, env=state)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Score: 10/10" in done.stdout and "PASS" in done.stdout
    receipt = next((tmp_path / "state/gengrade/receipts").glob("*.json"))
    verified = gengrade("receipt", "verify", str(receipt), cwd=tmp_path)
    assert verified.returncode == 0 and "valid: s1 c5 10/10" in verified.stdout
    forged = json.loads(receipt.read_text())
    forged["receipt"]["score"], forged["receipt"]["max_score"] = 10, 10
    forged["receipt"]["student"] = "s2"
    (tmp_path / "forged.json").write_text(json.dumps(forged))
    assert gengrade("receipt", "verify", "forged.json", cwd=tmp_path).returncode == 1
    refused = gengrade("submit", str(folder), "--server", server.base, "--token", "st_nobody", cwd=tmp_path, env=state)
    assert refused.returncode == 2 and "refused the submission (401)" in refused.stderr


def test_a_killed_worker_and_a_restarted_server_lose_nothing(course_server, tmp_path):
    server, tokens, admin = course_server
    headers = {"Authorization": f"Bearer {tokens['s1']}"}
    job = httpx.post(server.base + "/api/submissions", data={"exercise": "c5"}, headers=headers,
                     files={"file": ("kl_loss.py", SLOW)}).json()["id"]
    queued = httpx.post(server.base + "/api/submissions", data={"exercise": "c5"},
                        headers={"Authorization": f"Bearer {tokens['s2']}"},
                        files={"file": ("kl_loss.py", (ROOT / "solutions/c5/kl_loss.py").read_bytes())}).json()["id"]
    deadline = time.time() + 60
    while httpx.get(f"{server.base}/api/submissions/{job}", headers=headers).json()["state"] != "running":
        assert time.time() < deadline
        time.sleep(0.2)
    workers = subprocess.run(["pgrep", "-f", "grader.serve.worker|multiprocessing.spawn"], capture_output=True, text=True)
    children = [int(p) for p in workers.stdout.split() if int(p) != server.proc.pid]
    for pid in children:
        os.kill(pid, signal.SIGKILL)
    server.stop(signal.SIGKILL)  # and the server with it, mid-queue
    server.start()
    results = {}
    deadline = time.time() + 240
    for which, token in ((job, tokens["s1"]), (queued, tokens["s2"])):
        while True:
            view = httpx.get(f"{server.base}/api/submissions/{which}", headers={"Authorization": f"Bearer {token}"}).json()
            if view["state"] in ("done", "failed"):
                results[which] = view
                break
            assert time.time() < deadline, view
            time.sleep(0.5)
    assert results[job]["report"]["score"] == 10 and results[queued]["report"]["score"] == 10
    stats = httpx.get(server.base + "/api/stats", headers={"Authorization": f"Bearer {admin}"}).json()
    assert stats["states"] == {"done": 2}


def test_the_dashboard_in_a_real_browser(course_server, tmp_path):
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if not chromium:
        if os.environ.get("GENGRADE_REQUIRE_RENDERERS") == "1":
            pytest.fail("no Chromium, and GENGRADE_REQUIRE_RENDERERS=1")
        pytest.skip("no Chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    server, tokens, admin = course_server
    httpx.post(server.base + "/api/submissions", data={"exercise": "c5"},
               headers={"Authorization": f"Bearer {tokens['s1']}"},
               files={"file": ("kl_loss.py", (ROOT / "tests/catalog/c5/mutants/missing_half.py").read_bytes())})
    with sync_playwright() as driver:
        browser = driver.chromium.launch(executable_path=chromium, args=["--disable-gpu", "--no-first-run"])
        page = browser.new_page()
        page.goto(server.base + "/dashboard")
        assert page.url.endswith("/login")
        page.fill("#token", "in_wrong")
        page.click("button[type=submit]")
        assert "not an instructor token" in page.locator("p.error").inner_text()
        page.fill("#token", admin)
        page.click("button[type=submit]")
        page.wait_for_url("**/dashboard")
        deadline = time.time() + 120
        while "missing-half" not in page.inner_text("#mistakes"):
            assert time.time() < deadline
            page.reload()
        assert "s1" in page.inner_text("#students") and page.inner_text("#p50") != "-"
        page.locator("#students a", has_text="s1").click()  # the link, not the queue's cell
        page.wait_for_url("**/dashboard/students/s1")
        assert "forgot the factor 1/2" in page.inner_text("#history")
        page.goto(server.base + "/dashboard")
        forged = page.request.post(server.base + "/dashboard/regrade", form={"student": "s1"})  # session cookie only
        assert forged.status == 403 and "security token" in forged.text()
        page.fill("input[name=student]", "s1")
        page.click("#regrade")
        page.wait_for_url("**/dashboard")
        browser.close()
    stats = httpx.get(server.base + "/api/stats", headers={"Authorization": f"Bearer {admin}"}).json()
    assert sum(stats["states"].values()) == 2  # the form's regrade queued the submission again
