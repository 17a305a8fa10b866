"""Notebooks as submissions, through every route, with real notebooks and a real kernel (nbclient):
`gengrade check NOTEBOOK.ipynb`, `notebook.check(...)` inside a running kernel, and the release's
notebooks. The same code gets the same verdict as the .py route; errors point at cells."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from grader import course
from grader.notebook.extract import Extracted, code_cells, extract, relocate

ROOT = Path(__file__).resolve().parents[1]
C5 = course.exercise_by_id("c5")
RIGHT = (ROOT / "solutions/c5/kl_loss.py").read_text()
NO_HALF = (ROOT / "tests/catalog/c5/mutants/missing_half.py").read_text()


def notebook(*cells, metadata=None) -> nbformat.NotebookNode:
    made = [new_markdown_cell(c[1:]) if c.startswith("#md") else new_code_cell(c) for c in cells]
    return new_notebook(cells=made, metadata=metadata or {})


def write(tmp_path: Path, nb, name="work.ipynb") -> Path:
    path = tmp_path / name
    nbformat.write(nb, str(path))
    return path


def gengrade(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "grader", *args], capture_output=True, text=True, timeout=240)


def check_json(path: Path, *extra: str) -> dict:
    done = gengrade("check", str(path), "--json", *extra)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


# --- the extraction rule -----------------------------------------------------------------------

def test_experiments_magics_and_skipped_cells_are_left_out():
    cells = [{"cell_type": "markdown", "source": "# text"}, {"cell_type": "code", "source": "from grader import notebook"},
             {"cell_type": "code", "source": "%matplotlib inline\nimport torch\nEPS = 1e-8\nprint(EPS)"},
             {"cell_type": "code", "source": "def f(x):\n    return x + EPS\n\nf(torch.ones(2))\n!ls"},
             {"cell_type": "code", "source": "model = train()\nfor i in range(3):\n    pass", "metadata": {}},
             {"cell_type": "code", "source": "import os\nos.remove('x')", "metadata": {"tags": ["gengrade-skip"]}},
             {"cell_type": "code", "source": "%%bash\nrm -rf /"}]
    got = extract(code_cells(cells), "f")
    assert got.source == "import torch\nEPS = 1e-8\ndef f(x):\n    return x + EPS\n"
    assert got.origin == [(3, 2), (3, 3), (4, 1), (4, 2)]


def test_a_later_definition_replaces_an_earlier_one_as_in_the_kernel():
    got = extract([(1, "def f():\n    return 1"), (2, "def f():\n    return 2")], "f")
    namespace: dict = {}
    exec(got.source, namespace)
    assert namespace["f"]() == 2


def test_decorators_travel_with_their_function():
    got = extract([(4, "import functools\n\n@functools.lru_cache\ndef f(x):\n    return x")], "f")
    assert "@functools.lru_cache\ndef f(x):" in got.source and got.where(2) == (4, 3)


def test_a_broken_cell_is_left_out_unless_it_alone_defines_the_function():
    fine = extract([(1, "def f():\n    return 1"), (2, "oops (")], "f")
    assert fine.source == "def f():\n    return 1\n" and fine.skipped == [2]
    broken = extract([(1, "x = 1"), (3, "def f(:\n    return 1")], "f")
    assert broken.source.endswith("def f(:\n    return 1\n") and broken.where(2) == (3, 1)


def test_lines_are_named_by_cell():
    got = Extracted()
    got.add(3, 5, "a\nb")
    text = "  /tmp/x/kl_loss.py, line 2, in f: b\nat (line 1: a) and kl_loss.py in the hint"
    assert relocate(text, got, "kl_loss.py", "work.ipynb") == \
        "  work.ipynb, cell 3, line 6, in f: b\nat (cell 3, line 5: a) and kl_loss.py in the hint"
    assert relocate("(line 9: z)", got, "kl_loss.py", "nb", unit="In [{}]") == "(line 9: z)"


# --- gengrade check NOTEBOOK.ipynb ---------------------------------------------------------------

def test_a_correct_notebook_scores_as_the_file_does(tmp_path):
    path = write(tmp_path, notebook("#md# KL", "%matplotlib inline\n" + RIGHT + "\nvae_kl_loss",
                                    "import torch\nprint(vae_kl_loss(torch.zeros(2, 3), torch.zeros(2, 3)))",
                                    "this cell does not parse ("))
    report = check_json(path)
    assert report["exercise"] == "c5" and report["score"] == report["max_score"] == 10
    assert report["submission"] == str(path)


def test_a_buggy_notebook_names_the_files_mistake(tmp_path):
    nb_report = check_json(write(tmp_path, notebook(NO_HALF), "buggy.ipynb"), "--exercise", "c5", "--seed", "5")
    py = tmp_path / "kl_loss.py"
    py.write_text(NO_HALF)
    py_report = check_json(py, "--exercise", "c5", "--seed", "5")
    strip = [{k: c[k] for k in ("name", "outcome", "points", "misconception")} for c in nb_report["checks"]]
    assert strip == [{k: c[k] for k in ("name", "outcome", "points", "misconception")} for c in py_report["checks"]]
    assert "missing-half" in {c["misconception"] for c in nb_report["checks"]}


def test_errors_point_at_the_notebooks_cell_and_line(tmp_path):
    raising = "import torch\n\ndef vae_kl_loss(mu, log_var):\n    total = mu.sum()\n    return total + undefined_name"
    report = check_json(write(tmp_path, notebook("#md# intro", "x = 1", raising), "raising.ipynb"))
    messages = "\n".join(c["message"] for c in report["checks"])
    assert "raising.ipynb, cell 3, line 5, in vae_kl_loss: return total + undefined_name" in messages
    assert "tmp" not in messages and "kl_loss.py" not in messages
    syntax = check_json(write(tmp_path, notebook("import torch", "def vae_kl_loss(mu, log_var:\n    return 1"), "s.ipynb"))
    assert syntax["headline"].startswith("s.ipynb, cell 2, line 1: SyntaxError")


def test_the_exercise_comes_from_metadata_or_the_function_defined(tmp_path):
    meta = write(tmp_path, notebook(RIGHT.replace("vae_kl_loss", "other"), metadata={"gengrade": {"exercise": "c5"}}), "m.ipynb")
    assert check_json(meta)["exercise"] == "c5"  # its function is missing: nothing graded, but as c5
    two = write(tmp_path, notebook("def vae_kl_loss(mu, log_var):\n    pass\ndef reparameterize(mu, log_var):\n    pass"), "two.ipynb")
    done = gengrade("check", str(two))
    assert done.returncode == 2 and "pass --exercise cN" in done.stderr and "c1 (reparameterize)" in done.stderr


def test_bad_notebooks_are_named(tmp_path):
    bad = tmp_path / "bad.ipynb"
    bad.write_text("{not json")
    done = gengrade("check", str(bad), "--exercise", "c5")
    assert done.returncode == 2 and "bad.ipynb: not a readable notebook" in done.stderr
    folder = gengrade("check", str(ROOT / "exercises/c5"), "--exercise", "c5")
    assert folder.returncode == 2 and "--exercise names the exercise of a notebook or of a single file" in folder.stderr


def test_a_hostile_notebook_gains_nothing_the_file_route_would_not(tmp_path):
    """Top-level experiments never run; what the function does runs in the same sandbox."""
    secret = tmp_path / "secret.txt"
    secret.write_text("hidden")
    attack = (f"import os\nopen({str(tmp_path / 'owned')!r}, 'w').write('x')\n"
              f"def vae_kl_loss(mu, log_var):\n    return open({str(secret)!r}).read()")
    report = check_json(write(tmp_path, notebook(attack), "evil.ipynb"))
    assert report["score"] == 0 and not (tmp_path / "owned").exists()
    assert "hidden" not in json.dumps(report)


# --- inside a running kernel, and the release's notebooks ---------------------------------------

def run_in_kernel(nb: nbformat.NotebookNode, tmp_path: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    NotebookClient(nb, timeout=240, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}).execute()
    return nb


def html_of(cell) -> str:
    return "".join(o.get("data", {}).get("text/html", "") for o in cell.outputs)


def test_notebook_check_in_a_kernel_checks_the_current_definition(tmp_path):
    nb = notebook(NO_HALF, "from grader import notebook\nfirst = notebook.check('c5', seed=3)",
                  RIGHT, "second = notebook.check('c5', seed=3, show=False)\nprint(first['score'], second['score'])",
                  "def vae_kl_loss(mu, log_var):\n    return mu.sum() + nothing_here",
                  "third = notebook.check('c5', show=False)\nprint(third['checks'][0]['message'])")
    done = run_in_kernel(nb, tmp_path)
    first = html_of(done.cells[1])
    assert "Looks like: forgot the factor 1/2" in first and "c5 VAE KL loss" in first
    assert done.cells[3].outputs[0]["text"].split() == ["4", "10"] or done.cells[3].outputs[0]["text"].split()[1] == "10"
    assert "your notebook, In [5], line 2, in vae_kl_loss: return mu.sum() + nothing_here" in done.cells[5].outputs[0]["text"]


def test_release_notebooks_hold_the_statement_the_stub_and_a_check_cell(tmp_path):
    done = gengrade("release", str(tmp_path / "handout"), "--notebooks", "--install", "https://example.org/handout.zip")
    assert done.returncode == 0, done.stderr
    nb = nbformat.read(str(tmp_path / "handout/notebooks/c5.ipynb"), as_version=4)
    nbformat.validate(nb)
    install, statement, stub, check = nb.cells
    assert "https://example.org/handout.zip" in install.source and install.metadata["tags"] == ["gengrade-skip"]
    assert statement.source == (C5.stub_dir / "README.md").read_text()
    assert "raise NotImplementedError" in stub.source and check.metadata["tags"] == ["gengrade-skip"]
    assert nb.metadata["gengrade"] == {"exercise": "c5"}
    stub.source = RIGHT
    ran = run_in_kernel(new_notebook(cells=[stub, check], metadata=nb.metadata), tmp_path)
    assert "10 / 10" in html_of(ran.cells[1])


def test_release_notebooks_are_the_same_bytes_every_time(tmp_path):
    for name in ("a", "b"):
        assert gengrade("release", str(tmp_path / name), "--notebooks").returncode == 0
    assert (tmp_path / "a/notebooks/c2.ipynb").read_bytes() == (tmp_path / "b/notebooks/c2.ipynb").read_bytes()
    assert gengrade("release", str(tmp_path / "c"), "--install", "x").returncode == 2


# --- class grading and the Gradescope autograder take notebooks where they take stub files ------

def test_grade_takes_notebooks_and_names_their_cells(tmp_path):
    from grader.grade.api import grade_class

    subs = tmp_path / "subs"
    for student, code in (("nb-right", RIGHT), ("nb-half", NO_HALF),
                          ("nb-raises", "def vae_kl_loss(mu, log_var):\n    return mu + undefined_name")):
        (subs / student).mkdir(parents=True)
        nbformat.write(notebook("#md# mine", "import torch", code, "vae_kl_loss(torch.zeros(2, 2), torch.zeros(2, 2))"),
                       str(subs / student / "work.ipynb"))
    (subs / "both").mkdir()
    (subs / "both" / "kl_loss.py").write_text(RIGHT)  # a stub file wins over a notebook
    nbformat.write(notebook(NO_HALF), str(subs / "both" / "other.ipynb"))
    grade_class(subs, tmp_path / "out", exercise_ids=["c5"], jobs=1)
    reports = {r["student"]: r for r in map(json.loads, (tmp_path / "out/results.jsonl").read_text().splitlines())}
    assert reports["nb-right"]["score"] == 10 and reports["both"]["score"] == 10
    assert reports["nb-half"]["score"] < 10 and "missing-half" in {c["misconception"] for c in reports["nb-half"]["checks"]}
    raised = "\n".join(c["message"] for c in reports["nb-raises"]["checks"])
    assert "work.ipynb, cell 3, line 2, in vae_kl_loss" in raised


def test_the_gradescope_autograder_takes_a_notebook(tmp_path):
    from grader.gradescope.autograder import grade_all

    folder = tmp_path / "submission"
    folder.mkdir()
    nbformat.write(notebook("import torch", NO_HALF.replace("import torch\n", "")), str(folder / "hw.ipynb"))
    tests, output, _ = grade_all(folder, [C5])
    assert sum(t["score"] for t in tests) < 10 and any("hw.ipynb" in line for line in output)
    assert any("missing-half" in t.get("output", "") or "1/2" in t.get("output", "") for t in tests)
