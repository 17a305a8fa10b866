"""One notebook per exercise for `gengrade release OUT --notebooks`: the task statement, the stub
to complete, and a cell that checks it; with `--install URL`, a first cell that installs the
handout in Colab (or any fresh kernel) from the zip or git URL the instructor gives.

Written with nbformat (no hand-made JSON); the install and check cells carry the
gengrade-skip tag, so `gengrade check` never takes them for the student's code.
"""

from __future__ import annotations

from grader import course
from grader.notebook.extract import METADATA_KEY, SKIP_TAG

INSTALL = '''# Run this cell first in Colab (or any kernel without gengrade): it installs the course handout.
import importlib.util, subprocess, sys
HANDOUT = {url!r}
if importlib.util.find_spec("grader") is None:
    source = "git+" + HANDOUT if HANDOUT.endswith(".git") else HANDOUT
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", source], check=True)'''

CHECK = '''# Check your function as it is defined now (run the cell above it first).
from grader import notebook
notebook.check({id!r})'''


def exercise_notebook(exercise: course.Exercise, install_url: str | None) -> bytes:
    """The notebook of one exercise, as the bytes of an .ipynb file (nbformat 4)."""
    import nbformat
    from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

    def tool_cell(source: str):
        return new_code_cell(source, metadata={"tags": [SKIP_TAG]})

    cells = [tool_cell(INSTALL.format(url=install_url))] if install_url else []
    cells += [new_markdown_cell((exercise.stub_dir / "README.md").read_text(encoding="utf-8")),
              new_code_cell((exercise.stub_dir / exercise.file).read_text(encoding="utf-8").rstrip("\n")),
              tool_cell(CHECK.format(id=exercise.id))]
    notebook = new_notebook(cells=cells, metadata={
        METADATA_KEY: {"exercise": exercise.id},
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}})
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"{exercise.id}-{index}"  # stable ids: a release is the same bytes every time
    return nbformat.writes(notebook).encode("utf-8") + b"\n"


def notebook_tree(exercises: list[course.Exercise], install_url: str | None) -> dict[str, bytes]:
    return {f"notebooks/{e.id}.ipynb": exercise_notebook(e, install_url) for e in exercises}
