"""The public cut of a suite keeps exactly what its public tests need."""

import ast
import textwrap
from pathlib import Path

import pytest

from grader import course
from grader.release.public_suite import SuiteShapeError, public_suite, unresolved

SUITE = '''
"""Hidden checks: the secret method is described here."""

from __future__ import annotations

import pytest
import torch
from torch.distributions import kl_divergence

from .probes import CASES, HIDDEN_CASES

LIMIT = 3
SECRET_TOLERANCE = 1e-9
shape = "module-level name a local shadows"


def describe(i):
    return f"case {i} of {len(CASES)} (limit {LIMIT})"


def secret_oracle(x):
    return kl_divergence(x, x) * SECRET_TOLERANCE * len(HIDDEN_CASES) * torch.pi


class Helper:
    def check(self, value):
        return describe(value)


@pytest.fixture
def prepared():
    return Helper()


@pytest.fixture(autouse=True)
def always():
    yield


@pytest.mark.public
@pytest.mark.points(2)
def test_shape(observed, prepared):
    """public: the shape"""
    shape = observed["shape"]
    def inner():
        return prepared.check(shape)
    assert inner()


@pytest.mark.points(3)
def test_values(observed):
    """hidden: the values"""
    assert secret_oracle(observed["x"]) == 0


def test_unmarked(observed):
    assert observed
'''


def cut(tmp_path, text):
    path = tmp_path / "test_cx.py"
    path.write_text(textwrap.dedent(text))
    return public_suite(path, "Public checks.")


def defined(text):
    tree = ast.parse(text)
    return {getattr(n, "name", None) or n.targets[0].id for n in tree.body
            if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Assign))}


def test_keeps_public_tests_and_exactly_what_they_need(tmp_path):
    suite = cut(tmp_path, SUITE)
    assert defined(suite.text) == {"LIMIT", "describe", "Helper", "prepared", "always", "test_shape"}
    assert "secret" not in suite.text.lower() and "Hidden checks" not in suite.text
    assert suite.text.startswith('"""Public checks."""\n\nfrom __future__ import annotations\n\nimport pytest\n\n'
                                 'from .probes import CASES\n\nLIMIT = 3\n')  # imports cut to the names kept code reads
    assert [(c.name, c.points, c.public) for c in suite.checks] == [
        ("test_shape", 2, True), ("test_values", 3, False), ("test_unmarked", 1, False)]
    assert [c.name for c in suite.hidden] == ["test_values", "test_unmarked"]
    compile(suite.text, "public", "exec")


@pytest.mark.parametrize("statement, complaint", [
    ("print('side effect')", "neither an import nor a definition"),
    ("pytestmark = pytest.mark.public", "pytestmark"),
])
def test_refuses_what_it_cannot_cut_safely(tmp_path, statement, complaint):
    with pytest.raises(SuiteShapeError, match=complaint) as caught:
        cut(tmp_path, f"import pytest\n{statement}\n\n@pytest.mark.public\ndef test_a():\n    pass\n")
    assert "test_cx.py:2" in str(caught.value)


def test_points_must_be_an_integer_literal(tmp_path):
    with pytest.raises(SuiteShapeError, match="integer literal"):
        cut(tmp_path, "import pytest\nN = 2\n\n@pytest.mark.points(N)\ndef test_a():\n    pass\n")


def test_unresolved_names_globals_read_but_never_defined():
    text = "import os\nA = 1\ndef f(x):\n    y = [B for _ in x]\n    return os.sep, A, y, len(x)\n"
    assert unresolved(text, "m.py") == {"B"}


@pytest.mark.parametrize("exercise", course.all_exercises(), ids=lambda e: e.id)
def test_every_suite_cuts_to_its_public_tests(exercise):
    suite = public_suite(exercise.tests_path, "Public checks.")
    kept = {n.name for n in ast.parse(suite.text).body if isinstance(n, ast.FunctionDef) and n.name.startswith("test")}
    assert kept == {c.name for c in suite.checks if c.public} != set()
    assert sum(c.points for c in suite.checks) == exercise.points
    assert not unresolved(suite.text, str(exercise.tests_path))


def test_a_helper_module_the_release_lacks_may_serve_hidden_tests_only(tmp_path):
    head = "import pytest\nfrom .oracles import kl\n\n"
    hidden_only = cut(tmp_path, head + "@pytest.mark.public\ndef test_a():\n    pass\n\ndef test_b():\n    assert kl\n")
    assert "oracles" not in hidden_only.text
    with pytest.raises(SuiteShapeError, match="test_cx.py:2: the public checks need .oracles"):
        cut(tmp_path, head + "@pytest.mark.public\ndef test_a():\n    assert kl\n")
