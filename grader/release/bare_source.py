"""A module's code without its comments and docstrings, for the files a release ships whole.

A suite's probes run in the student's process, so a release must ship them; their comments
and docstrings, though, explain what the hidden checks look for ("the encoder is nonlinear,
so encoding the blend is not the blend of the codes"). The module is parsed, every string
statement (docstrings, and strings used as comments) is dropped, and the tree is written back
with `ast.unparse`, which keeps no comment: the same code, the same names, only `__doc__` gone.
"""

from __future__ import annotations

import ast


def bare(source: str, header: str) -> str:
    """`source` with no comment and no docstring, and `header` as its module docstring."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        for field in ("body", "orelse", "finalbody"):
            statements = getattr(node, field, None)
            if isinstance(statements, list) and statements and isinstance(statements[0], ast.stmt):
                setattr(node, field, [s for s in statements if not _is_string(s)] or [ast.Pass()])
    tree.body.insert(0, ast.Expr(ast.Constant(header)))
    return ast.unparse(tree) + "\n"


def _is_string(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
