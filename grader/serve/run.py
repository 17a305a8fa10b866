"""`gengrade serve`: the web server (uvicorn) and its grading workers, one process per core,
all on one database. The first start creates the schema and an instructor token (printed once)."""

from __future__ import annotations

import multiprocessing
import os
from pathlib import Path

from grader.serve import people, worker
from grader.serve.store import Store, default_url
from grader.serve.tables import Instructor


def key_path(url: str, given: Path | None) -> Path:
    """The signing key: given, else beside an SQLite database, else in the user's state folder."""
    if given:
        return given
    if url.startswith("sqlite:///"):
        return Path(url[len("sqlite:///"):]).with_name("gengrade-server-key.pem")
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local", "state")
    return Path(base) / "gengrade" / "server-key.pem"


def first_instructor(store: Store) -> str | None:
    """A new instructor token when the service has none yet."""
    with store.transaction() as session:
        if session.query(Instructor).first() is None:
            return people.add_instructor(session, "first")
    return None


def start_workers(url: str, count: int) -> list[multiprocessing.Process]:
    context = multiprocessing.get_context("spawn")
    procs = [context.Process(target=worker.process_main, args=(url, f"local-{n}", os.getpid()), daemon=True)
             for n in range(count)]
    for proc in procs:
        proc.start()
    return procs


def serve(database: str | None, host: str, port: int, workers: int, key: Path | None, echo) -> None:
    import uvicorn

    from grader.serve.app import create_app

    url = database or default_url(Path.cwd())
    store = Store(url)
    token = first_instructor(store)
    if token:
        echo(f"Instructor token (shown once; keep it): {token}")
    procs = start_workers(url, workers)
    echo(f"gengrade serve: http://{host}:{port}/dashboard, database {store.engine.url.render_as_string()}, "
         f"{workers} grading workers")
    try:
        uvicorn.run(create_app(store, key_path(url, key)), host=host, port=port, log_level="warning")
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.join(timeout=30)
        store.close()
