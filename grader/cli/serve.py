"""The grading service's commands: `serve` (and `serve worker`, `serve roster`, `serve
instructor`) for instructors, `submit` and `receipt verify` for students. The service's
libraries (FastAPI, SQLAlchemy, httpx) are imported only inside them."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

DATABASE = click.option("--database", metavar="URL", help="sqlite:///PATH (default: ./gengrade-server.sqlite) "
                        "or postgresql://USER:PASSWORD@HOST/DB")


@click.group(invoke_without_command=True)
@DATABASE
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", type=int, default=8000, show_default=True)
@click.option("--workers", type=click.IntRange(min=0), default=os.cpu_count() or 1, show_default="the CPUs",
              help="Grading workers started beside the web server (0: only remote workers grade).")
@click.option("--key", type=click.Path(dir_okay=False, path_type=Path), help="The receipts' signing key "
              "(created on first use; default: beside the SQLite database, or in ~/.local/state/gengrade).")
@click.pass_context
def serve(ctx: click.Context, database: str | None, host: str, port: int, workers: int, key: Path | None) -> None:
    """Run the course's grading service: students `gengrade submit`, instructors use /dashboard."""
    if ctx.invoked_subcommand is None:
        from grader.serve.run import serve as run_service

        run_service(database, host, port, workers, key, click.echo)


@serve.command()
@click.option("--database", metavar="URL", required=True, help="The service's PostgreSQL (or SQLite) URL.")
@click.option("--name", help="This worker's name in the dashboard (default: host:pid).")
def worker(database: str, name: str | None) -> None:
    """Grade jobs from the service's queue on this machine (stop with Ctrl-C or SIGTERM)."""
    from grader.serve.worker import run

    run(database, name)


@serve.command()
@click.argument("roster", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@DATABASE
@click.option("--reissue", is_flag=True, help="New tokens for students already known (their old ones stop working).")
def roster(roster: Path, database: str | None, reissue: bool) -> None:
    """Import ROSTER.csv (student_id, name) and print the tokens issued, as CSV (shown only now)."""
    from grader.serve import people
    from grader.serve.store import Store, default_url

    rows = people.read_roster(roster.read_text(encoding="utf-8"), str(roster))
    store = Store(database or default_url(Path.cwd()))
    with store.transaction() as session:
        click.echo(people.tokens_csv(people.import_roster(session, rows, reissue)), nl=False)


@serve.command()
@DATABASE
@click.option("--label", default="", help="Whose token it is.")
def instructor(database: str | None, label: str) -> None:
    """Print a new instructor token (for the dashboard and the instructor API)."""
    from grader.serve import people
    from grader.serve.store import Store, default_url

    store = Store(database or default_url(Path.cwd()))
    with store.transaction() as session:
        click.echo(people.add_instructor(session, label))


@click.command()
@click.argument("folder", type=click.Path(path_type=Path), required=False)
@click.option("--server", help="The course's server (default: $GENGRADE_SERVER or ~/.config/gengrade/server).")
@click.option("--token", help="Your token (default: $GENGRADE_TOKEN or ~/.config/gengrade/token).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def submit(folder: Path | None, server: str | None, token: str | None, as_json: bool) -> None:
    """Upload the stub in FOLDER (default: this folder) to the course's server and show its feedback,
    hidden checks as the course allows; keeps a signed receipt."""
    from grader.errors import UsageError
    from grader.serve import client

    server = client.config_value(server, "GENGRADE_SERVER", "server")
    token = client.config_value(token, "GENGRADE_TOKEN", "token")
    if not server or not token:
        raise UsageError("no server or token: pass --server URL --token TOKEN (or set GENGRADE_SERVER, GENGRADE_TOKEN)")
    final = client.submit(folder or Path.cwd(), server, token, (lambda _: None) if as_json else click.echo)
    if as_json:
        click.echo(json.dumps(final, indent=2))
    else:
        click.echo(describe(final))
    report = final.get("report") or {}
    sys.exit(0 if report and report.get("score") == report.get("max_score") else 1)


def describe(final: dict) -> str:
    """The result as the course lets the student see it."""
    lines = []
    report = final.get("report")
    if final["state"] != "done" or not report:
        lines.append(f"Not graded: {final.get('error') or final['state']}")
    else:
        for check in report.get("checks", []):
            lines.append(f"  {check['outcome'].upper():7} {check['title']}  [{check['points']}/{check['max_points']}]")
            lines += [f"          {line}" for line in check.get("message", "").splitlines() if line]
        lines.append(f"Score: {report['score']}/{report['max_score']}" + ("  (late)" if final.get("late") else "")
                     + ("" if final.get("feedback") == "full" else f"  (the course shows: {final.get('feedback')})"))
    lines.append(f"Receipt: {final['receipt_path']} (server key {final['fingerprint']})")
    return "\n".join(lines)


@click.group()
def receipt() -> None:
    """Signed receipts of graded submissions."""


@receipt.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--key", help="The server's public key (base64), as the course publishes it (default: the one in FILE).")
def verify(file: Path, key: str | None) -> None:
    """Check FILE's signature offline; exit 0 if it holds, 1 if the receipt was altered."""
    from grader.serve.client import verify_file

    valid, fields, fingerprint = verify_file(file, key)
    if not valid:
        click.echo(f"INVALID: the signature does not match this receipt (key {fingerprint})")
        sys.exit(1)
    click.echo(f"valid: {fields.get('student')} {fields.get('exercise')} {fields.get('score')}/"
               f"{fields.get('max_score')}, file sha256 {fields.get('sha256')} (key {fingerprint})")


COMMANDS: list = [serve, submit, receipt]
