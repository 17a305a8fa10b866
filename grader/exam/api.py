"""Public verbs behind `sheet`, `exam`, `mark` and `export moodle`.

Each verb reads and checks all of its inputs first, then writes everything into a
staging folder that replaces the output only when the whole job has succeeded. The bank
is passed in (`bank`, `sample`) by the CLI, so tests can drive these verbs with a bank
of their own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from grader import atomic
from grader.exam import papers as exam
from grader.exam import manifest
from grader.exam import overlap
from grader.exam.overlap import Overlap
from grader.exam import pdf
from grader.exam.blueprint import Blueprint, load_blueprint
from grader.exam.draws import choose
from grader.errors import UsageError
from grader.exam.parallel import default_jobs, fork_map
from grader.exam.printing import Output, print_pdfs, write_paper
from grader.exam.roster import Student, read_roster
from grader.seeds import fresh_seed



@dataclass(frozen=True)
class Written:
    """What a verb produced, for the CLI to report."""

    out: Path
    seed: int | None
    papers: int
    files: tuple[str, ...]
    overlap: Overlap | None = None  # exam: how much the papers have in common


def pick_seed(seed: int | None, blueprint: Blueprint | None = None) -> int:
    """--seed, else the blueprint's, else a fresh random one (printed and recorded)."""
    if seed is not None:
        return seed
    if blueprint is not None and blueprint.seed is not None:
        return blueprint.seed
    return fresh_seed()


def _renderer(formats: tuple[str, ...]) -> pdf.Renderer | None:
    """The PDF renderer, looked up once and before any work (exit 2 if there is none)."""
    return pdf.renderer() if "pdf" in formats else None


def make_sheet(bank: Any, sample: Callable, topics: tuple[str, ...], count: int, seed: int, formats: tuple[str, ...],
               out: Path, templates: Path | None = None, force: bool = False) -> Written:
    """A practice sheet (sheet.*), its key with worked solutions (solutions.*), and manifest.json."""
    try:
        pool = bank.select(topics=list(topics) or None)  # a sheet takes every type, formulas included
    except UsageError as exc:
        raise UsageError(f"--topic: {exc}") from None
    if len(pool) < count:
        raise UsageError(f"--count {count}: only {len(pool)} problems match; ask for fewer")
    if not force:
        atomic.refuse_existing(out, ["manifest.json"] + [f"{n}.{f}" for n in ("sheet", "solutions") for f in formats])
    problems = choose(pool, count, seed, "sheet", key=lambda p: p.id)
    title = "Practice sheet: " + (", ".join(topics) if topics else "all topics")
    paper = exam.build_sheet(problems, seed, title, sample)
    renderer = _renderer(formats)
    with atomic.staged_folder(out, force) as stage:
        output = Output(stage, formats, templates, renderer)
        write_paper(paper, "sheet", "solutions", output)
        header = {"title": title, "seed": seed, "topics": list(topics), "blueprint": None}
        (stage / "manifest.json").write_bytes(manifest.dump(header, [manifest.paper_record(
            paper, {"paper": "sheet", "key": "solutions"})]))
        print_pdfs(output, ["sheet", "solutions"], 2)
        files = sorted(str(p.relative_to(stage)) for p in stage.rglob("*") if p.is_file())
    return Written(out, seed, 1, tuple(files))


def make_exam(bank: Any, sample: Callable, blueprint_path: Path, roster_path: Path, seed: int | None,
              formats: tuple[str, ...], out: Path, templates: Path | None = None, jobs: int | None = None,
              force: bool = False) -> Written:
    """One paper and one key per student (papers/ID.*, keys/ID.*) and manifest.json."""
    blueprint = load_blueprint(blueprint_path)
    students = read_roster(roster_path)
    seed = pick_seed(seed, blueprint)
    renderer = _renderer(formats)
    plan = exam.plan_exam(blueprint, bank, seed, blueprint_path, [s.student_id for s in students])
    if not force:  # the inputs are good: say now, not after the work, that earlier papers are in the way
        atomic.refuse_existing(out, _exam_files(students, formats))
    jobs = default_jobs() if jobs is None else jobs
    with atomic.staged_folder(out, force) as stage:
        output = Output(stage, formats, templates, renderer)

        def one(student: Student) -> dict:
            """Draw, render and write one student's paper and key; return its manifest entry."""
            paper = exam.build_paper(plan, student, sample)
            files = {"paper": f"papers/{student.student_id}", "key": f"keys/{student.student_id}"}
            write_paper(paper, files["paper"], files["key"], output)
            return manifest.paper_record(paper, files)

        records = fork_map(one, students, jobs)
        header = {"title": blueprint.title, "blueprint": blueprint.source, "seed": seed,
                  "sections": _section_records(plan)}
        (stage / "manifest.json").write_bytes(manifest.dump(header, records))
        relatives = [f"{kind}/{s.student_id}" for s in students for kind in ("papers", "keys")]
        print_pdfs(output, relatives, jobs)
    return Written(out, seed, len(students), ("manifest.json", "papers/", "keys/"), overlap.measure(records))


def _section_records(plan: exam.Plan) -> list[dict]:
    """Each section's pool, and the problems its papers use (all, for a section kept for the class)."""
    out = []
    for index, (section, pool) in enumerate(zip(plan.blueprint.sections, plan.pools)):
        used = {p.id for drawn in plan.chosen.values() for p in drawn[index]}
        out.append({"title": section.title, "marks": section.marks, "same_for_class": section.same_for_class,
                    "pool": [p.id for p in pool], "problems": [p.id for p in pool if p.id in used]})
    return out


def _exam_files(students: list[Student], formats: tuple[str, ...]) -> list[str]:
    return ["manifest.json"] + [f"{kind}/{s.student_id}.{f}" for s in students
                                for kind in ("papers", "keys") for f in formats]


MARKING = ("gradebook.csv", "breakdown.csv", "item-analysis.html")


def mark_exam(manifest_path: Path, responses: Path, out: Path, templates: Path | None = None,
              force: bool = False) -> tuple[Written, list]:
    """gradebook.csv, breakdown.csv and item-analysis.html for one response sheet."""
    from grader.exam import gradebook
    from grader.exam import item_analysis
    from grader.exam import marking
    from grader.exam.render import render_page

    data, entries = manifest.load(manifest_path)
    results = marking.mark_sheet(responses, entries)
    context = item_analysis.report_context(str(data.get("title", "exam")), results)
    report = render_page("item_analysis", "html", context, templates)
    with atomic.staged_folder(out, force) as stage:
        (stage / "gradebook.csv").write_bytes(gradebook.gradebook(results))
        (stage / "breakdown.csv").write_bytes(gradebook.breakdown(results))
        (stage / "item-analysis.html").write_bytes(report.encode("utf-8"))
    return Written(out, data.get("seed"), len(results), MARKING), results


def export_moodle(bank: Any, sample: Callable, blueprint_path: Path, out: Path, seed: int | None,
                  variants: int, msq_partial: bool = False, force: bool = False) -> Written:
    """Every problem a blueprint's sections may draw, as Moodle XML categories of variants."""
    from grader.exam import moodle

    if not force:
        atomic.refuse_existing(out.parent, [out.name])
    blueprint = load_blueprint(blueprint_path)
    seed = pick_seed(seed, blueprint)
    problems: dict[str, Any] = {}
    for section in blueprint.sections:
        for problem in exam.section_pool(section, bank, blueprint_path):
            problems.setdefault(problem.id, problem)
    xml = moodle.quiz(blueprint.title, list(problems.values()), variants, seed, sample, msq_partial)
    atomic.write_file(out, xml, replace=force)
    return Written(out, seed, len(problems), (out.name,))
