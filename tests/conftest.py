import os

import pytest
from hypothesis import settings

from catalog_support import Gradebook

# Property-based tests: 300 examples each in a normal run; a mutation run reruns them per mutant.
settings.register_profile("full", max_examples=300, deadline=None)
settings.register_profile("mutation", max_examples=25, deadline=None)
settings.load_profile(os.environ.get("GENGRADE_HYPOTHESIS", "full"))


@pytest.fixture(autouse=True)
def private_progress(tmp_path, monkeypatch):
    """Progress records go to a folder of each test's own, never the user's nor another test's."""
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))


@pytest.fixture(scope="session")
def graded():
    """Reports for references, stubs and the catalog, graded per exercise on first use."""
    return Gradebook()


# ---- problem bank (tests/test_bank_engine.py, test_answers.py, test_practice.py, test_seed_problems.py)

from pathlib import Path  # noqa: E402
import textwrap  # noqa: E402

SEED_BANK = Path(__file__).resolve().parents[1] / "problem_bank" / "seed_chapter.yaml"


@pytest.fixture(scope="session")
def seed_bank():
    """The seed chapter's problems only, so these tests do not depend on the families."""
    from grader.bank.load import load_bank

    return load_bank(SEED_BANK)


@pytest.fixture
def write_yaml(tmp_path):
    """write_yaml(text, name="bank.yaml") -> the path of a dedented YAML file in a temp folder."""
    def write(text: str, name: str = "bank.yaml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
        return path
    return write


@pytest.fixture
def gengrade(monkeypatch):
    """gengrade(*args, input=None, bank=SEED_BANK): run the CLI in-process against that bank."""
    from click.testing import CliRunner

    from grader.bank import load as bank_module
    from grader.cli import main

    def run(*args: str, input: str | None = None, bank: Path = SEED_BANK):
        monkeypatch.setattr(bank_module, "default_root", lambda: bank)
        return CliRunner().invoke(main, list(args), input=input)
    return run
