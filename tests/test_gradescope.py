"""`gengrade export gradescope`: the zip's layout, and its run_autograder in a simulated
/autograder tree on correct, buggy, hostile, missing and unreadable submissions, every
results.json checked against a JSON schema written from Gradescope's specification."""

import hashlib
import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from grader import course
from grader.cli import main
from grader.gradescope.autograder import grade_all
from grader.gradescope.export import FIXED_TIME, build_autograder
from grader.gradescope.submission import MAX_BYTES, Unreadable, candidates, choose

ROOT = course.course_root()
HERE = Path(__file__).parent
SCHEMA = json.loads((HERE / "gradescope_results.schema.json").read_text())
C1, C5 = course.exercise_by_id("c1"), course.exercise_by_id("c5")


@pytest.fixture(scope="module")
def autograder_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("export") / "autograder.zip"
    result = CliRunner().invoke(main, ["export", "gradescope", str(out), "--exercises", "c1"])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture
def gradescope(autograder_zip, tmp_path):
    """A simulated /autograder: source/ holds the zip, run_autograder is copied beside it."""
    root = tmp_path / "autograder"
    with zipfile.ZipFile(autograder_zip) as archive:
        archive.extractall(root / "source")
    for name in ("run_autograder", "setup.sh"):
        (root / "source" / name).chmod(0o755)
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "submission").mkdir()
    return root


def run_autograder(root: Path, python: str = sys.executable) -> dict:
    env = {**{k: v for k, v in os.environ.items() if k != "GENGRADE_HOME"},
           "GENGRADE_AUTOGRADER_ROOT": str(root), "GENGRADE_PYTHON": python}
    subprocess.run([root / "run_autograder"], cwd=root, env=env, check=True, timeout=300, capture_output=True)
    results = json.loads((root / "results" / "results.json").read_text())
    jsonschema.validate(results, SCHEMA)
    assert results["score"] == sum(t.get("score", 0) for t in results["tests"])
    assert results["stdout_visibility"] == "hidden"  # what the student's code printed stays in the log
    # every text is plain text: a student's string (a message, a name) is never rendered as HTML
    assert results["output_format"] == "text" and all(t["output_format"] == "text" for t in results["tests"])
    return results


def put(root: Path, relative: str, text: str) -> None:
    path = root / "submission" / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_zip_layout(autograder_zip):
    with zipfile.ZipFile(autograder_zip) as archive:
        infos = {i.filename: i for i in archive.infolist()}
        setup = archive.read("setup.sh").decode()
        texts = [archive.read(name).decode() for name in infos]
    assert {"setup.sh", "run_autograder", "gengrade/pyproject.toml", "gengrade/constraints.txt",
            "gengrade/solutions/c1/test_c1.py", "gengrade/solutions/c1/probes.py",
            "gengrade/solutions/c1/misconceptions.toml", "gengrade/grader/check/api.py"} <= set(infos)
    assert all(infos[name].external_attr >> 16 & 0o111 for name in ("setup.sh", "run_autograder"))
    assert not [n for n in infos if n.startswith(("gengrade/exercises/c2", "gengrade/solutions/c2"))]
    assert "gengrade/solutions/c1/reparameterize.py" not in infos
    assert "torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu" in setup
    assert 'pip install -c "$HERE/gengrade/constraints.txt" -e "$HERE/gengrade"' in setup
    shipped = [C1.stub_dir / C1.file, C1.tests_path, C1.probes_path, C1.solution_dir / "misconceptions.toml"]
    shown = "\n".join(path.read_text() for path in shipped)  # what the zip carries by design
    reference = [line.strip() for line in C1.reference_path.read_text().splitlines()
                 if len(line.strip()) >= 16 and line.strip() not in shown]
    assert reference and not [line for line in reference for text in texts if line in text]


def test_correct_file_in_a_folder_scores_full_marks(gradescope):
    put(gradescope, "my work/c1/reparameterize.py", C1.reference_path.read_text())
    results = run_autograder(gradescope)
    assert results["score"] == C1.points == sum(t["max_score"] for t in results["tests"])
    assert {t["status"] for t in results["tests"]} == {"passed"}
    assert {t["visibility"] for t in results["tests"] if t["name"].startswith("c1: returns")} == {"visible"}
    assert {t["visibility"] for t in results["tests"]} == {"visible", "after_published"}
    assert "graded my work/c1/reparameterize.py" in results["output"]


def test_buggy_file_in_a_zip_loses_hidden_points_with_its_mistake_named(gradescope):
    mutant = (HERE / "catalog/c1/mutants/std_exp_logvar.py").read_text()
    with zipfile.ZipFile(gradescope / "submission" / "upload.zip", "w") as archive:
        archive.writestr("c1/reparameterize.py", mutant)
        archive.writestr("__MACOSX/c1/._reparameterize.py", "junk")
    results = run_autograder(gradescope)
    failed = [t for t in results["tests"] if t["status"] == "failed"]
    assert 0 < results["score"] < C1.points and failed
    assert all(t["visibility"] == "after_published" and t["score"] < t["max_score"] for t in failed)
    assert any("Looks like: used exp(log_var), the variance" in t["output"] for t in failed)
    assert "upload.zip: c1/reparameterize.py" in results["output"] and "/tmp" not in json.dumps(results)


def test_hostile_file_cannot_forge_results(gradescope):
    forged = json.dumps({"score": 1000, "output": "FORGED", "tests": [{"name": "FORGED", "score": 1000}]})
    real_results = Path("/autograder/results/results.json")
    existed = real_results.exists()
    put(gradescope, "reparameterize.py", f'''
import json, os, sys
FORGED = {forged!r}

def forge():
    print(FORGED)
    for path in ({str(gradescope / "results" / "results.json")!r}, {str(real_results)!r}):
        try:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "w") as stream:
                stream.write(FORGED)
        except Exception as exc:
            print("refused:", exc, file=sys.stderr)

forge()

def reparameterize(mu, log_var, training=True):
    forge()
    return mu
''')
    results = run_autograder(gradescope)
    assert "FORGED" not in json.dumps(results) and results["score"] < C1.points
    assert all(t["name"].startswith("c1: ") for t in results["tests"])
    assert real_results.exists() == existed


def test_missing_or_unreadable_file_scores_zero_with_a_reason(gradescope):
    put(gradescope, "notes/answers.txt", "not code")
    missing = run_autograder(gradescope)
    (test,) = missing["tests"]
    assert (test["score"], test["max_score"], test["visibility"]) == (0, C1.points, "visible")
    assert "reparameterize.py was not found in your submission" in test["output"] and "notes/answers.txt" in test["output"]

    with zipfile.ZipFile(gradescope / "submission" / "work.zip", "w") as archive:
        archive.writestr("reparameterize.py", "def reparameterize(mu, log_var, training=True):\n    return mu\n" * 50)
    blob = bytearray((gradescope / "submission" / "work.zip").read_bytes())
    blob[60:70] = b"\x00" * 10  # damage the compressed data: the CRC check fails on reading
    (gradescope / "submission" / "work.zip").write_bytes(bytes(blob))
    unreadable = run_autograder(gradescope)
    (test,) = unreadable["tests"]
    assert test["score"] == 0 and "could not be read" in test["output"]


def test_a_failing_grader_still_writes_valid_results(gradescope):
    put(gradescope, "reparameterize.py", C1.reference_path.read_text())
    (gradescope / "source/gengrade/solutions/c1/test_c1.py").write_text("this is not python (\n")
    broken_suite = run_autograder(gradescope)
    (test,) = broken_suite["tests"]
    assert test["score"] == 0 and "could not be graded" in test["output"]
    no_python = run_autograder(gradescope, python="/bin/false")
    assert no_python["score"] == 0 and "could not grade" in no_python["output"]


def test_export_refuses_bad_arguments(autograder_zip, tmp_path):
    runner = CliRunner()
    again = runner.invoke(main, ["export", "gradescope", str(autograder_zip)])
    assert again.exit_code == 2 and "--force" in again.output
    assert runner.invoke(main, ["export", "gradescope", str(tmp_path / "a.tar")]).exit_code == 2
    unknown = runner.invoke(main, ["export", "gradescope", str(tmp_path / "a.zip"), "--exercises", "c1,c99"])
    assert unknown.exit_code == 2 and "c99" in unknown.output and not (tmp_path / "a.zip").exists()


def test_choosing_the_file_among_several(tmp_path):
    for relative in ("backup/reparameterize.py", "c1/reparameterize.py", "a/b/c/reparameterize.py", ".hidden/reparameterize.py"):
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_text(relative)
    (tmp_path / "link.py").symlink_to(tmp_path / "c1/reparameterize.py")
    found = candidates(tmp_path)
    assert [c.shown for c in found] == ["a/b/c/reparameterize.py", "backup/reparameterize.py", "c1/reparameterize.py"]
    pick, named = choose(found, "reparameterize.py", "c1")
    assert pick.read() == b"c1/reparameterize.py" and len(named) == 3
    assert choose(found, "reparameterize.py", "c9")[0].shown == "backup/reparameterize.py"  # shallowest, then by path
    (tmp_path / "big" / "reparameterize.py").parent.mkdir()
    (tmp_path / "big" / "reparameterize.py").write_bytes(b"#" * (2 << 20))
    big = [c for c in candidates(tmp_path) if c.shown == "big/reparameterize.py"][0]
    with pytest.raises(Unreadable, match="larger than"):
        big.read()


def test_undecodable_file_names_are_reported_as_text(tmp_path):
    (tmp_path / os.fsdecode(b"notes\xff.py")).write_text("x")
    (shown,) = [c.shown for c in candidates(tmp_path)]
    assert shown == "notes\ufffd.py" and shown.encode("utf-8")


def test_grading_outputs_declare_plain_text(tmp_path):
    (tmp_path / "notes.txt").write_text("<script>alert(1)</script>")
    tests, _, _ = grade_all(tmp_path, [C1])
    from grader.gradescope.results import results_json

    data = results_json(tests, ["<b>x</b>"], 0.0, {})
    assert (data["output_format"], data["test_output_format"], data["test_name_format"]) == ("text",) * 3
    assert [(t["output_format"], t["name_format"]) for t in data["tests"]] == [("text", "text")]


def _flag_encrypted(path: Path, member: str) -> None:
    """Set the 'encrypted' bit of one member (local header and central directory), as a zip tool
    with a password does."""
    blob = bytearray(path.read_bytes())
    for signature, flags, name_length, name in ((b"PK\x03\x04", 6, 26, 30), (b"PK\x01\x02", 8, 28, 46)):
        at = blob.find(signature)
        while at >= 0:
            size = int.from_bytes(blob[at + name_length:at + name_length + 2], "little")
            if blob[at + name:at + name + size].decode() == member:
                blob[at + flags] |= 1
            at = blob.find(signature, at + 4)
    path.write_bytes(bytes(blob))


def test_an_encrypted_member_costs_its_own_exercise_only(tmp_path):
    with zipfile.ZipFile(tmp_path / "upload.zip", "w") as archive:
        archive.writestr("c1/reparameterize.py", C1.reference_path.read_text())
        archive.writestr("c5/kl_loss.py", C5.reference_path.read_text())
    _flag_encrypted(tmp_path / "upload.zip", "c1/reparameterize.py")
    tests, output, seeds = grade_all(tmp_path, [C1, C5])
    (c1,) = [t for t in tests if t["name"].startswith("c1:")]
    assert (c1["score"], c1["max_score"], c1["visibility"]) == (0, C1.points, "visible")
    assert "upload.zip: c1/reparameterize.py could not be read: it is encrypted" in c1["output"]
    assert sum(t["score"] for t in tests if t["name"].startswith("c5:")) == C5.points and list(seeds) == ["c5"]


def test_a_damaged_zip_is_reported_as_damaged_not_missing(tmp_path):
    with zipfile.ZipFile(tmp_path / "work.zip", "w") as archive:
        archive.writestr("reparameterize.py", C1.reference_path.read_text())
    (tmp_path / "work.zip").write_bytes((tmp_path / "work.zip").read_bytes()[:-30])  # the central directory cut off
    (test,), output, _ = grade_all(tmp_path, [C1])
    assert test["score"] == 0 and "work.zip is damaged and could not be opened" in test["output"]
    assert output == [f"c1 {C1.title}: {test['output']}"]


def test_the_seed_is_drawn_from_the_file_never_the_clock(tmp_path):
    """Two gradings of one file, seconds apart, use one seed: sha256 of the bytes (README);
    another file gets another."""
    data = C1.reference_path.read_bytes()
    (tmp_path / "reparameterize.py").write_bytes(data)
    first = grade_all(tmp_path, [C1])[2]
    (tmp_path / "reparameterize.py").write_bytes(data + b"\n# resubmitted\n")
    other = grade_all(tmp_path, [C1])[2]
    (tmp_path / "reparameterize.py").write_bytes(data)
    again = grade_all(tmp_path, [C1])[2]
    assert first == again == {"c1": int(hashlib.sha256(data).hexdigest()[:8], 16) % 2**31} != other


def test_a_huge_loose_file_is_never_read_whole(tmp_path):
    sparse = tmp_path / "c1" / "reparameterize.py"
    sparse.parent.mkdir()
    with sparse.open("wb") as stream:
        stream.truncate(64 << 30)  # 64 GiB of holes: reading it whole would exhaust memory
    (pick,) = candidates(tmp_path)
    with pytest.raises(Unreadable, match=f"larger than {MAX_BYTES >> 10} KiB"):
        pick.read()


def test_the_autograder_zip_is_byte_reproducible(autograder_zip, tmp_path):
    again = build_autograder(tmp_path / "again.zip", ["c1"]).out
    assert again.read_bytes() == autograder_zip.read_bytes()
    with zipfile.ZipFile(again) as archive:
        infos = archive.infolist()
    assert [i.filename for i in infos] == sorted(i.filename for i in infos)
    assert {i.date_time for i in infos} == {FIXED_TIME}
