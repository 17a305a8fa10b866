"""The public half of a hidden suite, cut mechanically out of `solutions/cN/test_cN.py`.

Authors keep one pytest module per exercise. The release keeps its tests marked
`@pytest.mark.public`, exactly the module-level definitions those tests need, followed
transitively (names their bodies read, fixtures their parameters ask for), and the imports
of the names these read (an import that names an oracle, say, says something of the hidden
checks); every other test, helper and the module docstring, which describes the hidden
checks, are left out. Source is cut by line ranges, so the kept code reads as its author
wrote it; only an import that loses some of its names is written anew.
"""

from __future__ import annotations

import ast
import builtins
import symtable
from dataclasses import dataclass
from pathlib import Path

from grader.errors import GraderError

SHIPPED_SIBLINGS = {"probes"}  # the only module of solutions/cN/ a release carries besides the suite


@dataclass(frozen=True)
class Check:
    name: str
    points: int
    public: bool


@dataclass(frozen=True)
class PublicSuite:
    text: str  # the public module's source
    checks: tuple[Check, ...]  # every test of the full suite, public or not, in order

    @property
    def hidden(self) -> tuple[Check, ...]:
        return tuple(c for c in self.checks if not c.public)


class SuiteShapeError(GraderError):
    """The suite uses a construct the cut cannot keep safely; the message names file and line."""


def public_suite(path: Path, header: str) -> PublicSuite:
    """The public module of the suite at `path`, with `header` as its docstring."""
    source = path.read_text(encoding="utf-8")
    module = Module(source, path)
    keep = module.closure([n for n in module.tests if is_public(n)])
    needed = set().union(*(module.needs(n) for n in keep))
    text = _cut(source.splitlines(), module.tree.body, lambda n: _kept_text(n, keep, needed, module), header)
    missing = unresolved(text, str(path))
    if missing:  # a bug of this module, not of the suite
        raise GraderError(f"{path}: the public cut reads {', '.join(sorted(missing))} without defining it")
    return PublicSuite(text, tuple(Check(n.name, points_of(n, path), is_public(n)) for n in module.tests))


def _cut(lines: list[str], body: list[ast.stmt], text_of, header: str) -> str:
    """The kept statements' text; neighbours in the source keep the lines between them."""
    out, previous = [f'"""{header}"""', ""], None
    for index, node in enumerate(body):
        text = text_of(node)
        if text is None:
            continue
        if previous == index - 1:
            out.extend(lines[body[previous].end_lineno:first_line(node) - 1])
        elif previous is not None:
            out.extend([""] if _is_import(body[previous]) and _is_import(node) else ["", ""])
        out.append(text if text is not KEEP else "\n".join(lines[first_line(node) - 1:node.end_lineno]))
        previous = index
    return "\n".join(out) + "\n"


KEEP = "as written"  # _kept_text's answer for a statement kept as its author wrote it


def _kept_text(node: ast.stmt, keep: set[ast.stmt], needed: set[str], module: "Module") -> str | None:
    """KEEP, None (drop), or the text of an import cut down to the names the kept code reads."""
    if node in keep:
        return KEEP
    if not module.is_import(node):
        return None
    if isinstance(node, ast.ImportFrom) and node.module == "__future__":
        return KEEP
    aliases = [a for a in node.names if (a.asname or a.name).split(".")[0] in needed]
    if len(aliases) == len(node.names):
        return KEEP
    return ast.unparse(type(node)(**{**vars(node), "names": aliases})) if aliases else None


class Module:
    """A suite's top-level statements: imports, definitions by name, tests, and who needs whom."""

    def __init__(self, source: str, path: Path):
        self.path, self.tree = path, ast.parse(source, str(path))
        self.tables = {(t.get_name(), t.get_lineno()): t for t in symtable.symtable(source, str(path), "exec").get_children()}
        self.lazy = any(isinstance(n, ast.ImportFrom) and n.module == "__future__" and
                        any(a.name == "annotations" for a in n.names) for n in self.tree.body)
        self.defines: dict[str, list[ast.stmt]] = {}
        self.tests: list[ast.FunctionDef] = []
        self.unshipped = {n for n in self.tree.body if isinstance(n, ast.ImportFrom) and n.level
                          and (n.module or "").split(".")[0] not in SHIPPED_SIBLINGS}
        for index, node in enumerate(self.tree.body):
            if index == 0 and _is_docstring(node):
                continue
            if self.is_import(node):
                continue
            names = _defined_names(node)
            if not names:
                raise self._error(node, "a module-level statement that is neither an import nor a definition "
                                        "(a release cannot tell whether the public checks need it): move it into "
                                        "the function that needs it")
            if "pytestmark" in names:
                raise self._error(node, "a module-wide `pytestmark`: mark each test with @pytest.mark.points / "
                                        "@pytest.mark.public instead, so the release can tell public from hidden")
            for name in names:
                self.defines.setdefault(name, []).append(node)
            if isinstance(node, ast.FunctionDef) and node.name.startswith("test"):
                self.tests.append(node)
            elif isinstance(node, ast.ClassDef) and node.name.startswith("Test") and _mentions_public(node):
                raise self._error(node, "a test class with public checks: make public checks module-level "
                                        "test functions")

    def is_import(self, node: ast.stmt) -> bool:
        """An import the cut keeps whatever the tests need: all but those of modules a release lacks."""
        return _is_import(node) and node not in self.unshipped

    def closure(self, roots: list[ast.stmt]) -> set[ast.stmt]:
        """`roots` and every definition they need, transitively; autouse fixtures always."""
        keep: set[ast.stmt] = set()
        todo = list(roots) + [n for nodes in self.defines.values() for n in nodes if _is_autouse(n)]
        while todo:
            node = todo.pop()
            if node in keep:
                continue
            if node in self.unshipped:
                raise self._error(node, f"the public checks need .{node.module or ''}, which a release does not "
                                        f"ship (only {', '.join(sorted(SHIPPED_SIBLINGS))}.py travels with them): "
                                        "move what they need into the suite or the probes")
            keep.add(node)
            for name in self.needs(node):
                todo.extend(self.defines.get(name, []))
        return keep

    def needs(self, node: ast.stmt) -> set[str]:
        """Module-level names `node` reads, and the fixtures its parameters ask for."""
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            return _loaded_names(node)
        outer: list[ast.AST] = list(node.decorator_list)
        if isinstance(node, ast.ClassDef):
            outer += node.bases + [k.value for k in node.keywords]
        else:
            outer += node.args.defaults + [d for d in node.args.kw_defaults if d is not None]
            if not self.lazy:
                outer += [a.annotation for a in _all_args(node.args) if a.annotation] + [node.returns] * bool(node.returns)
        names = set().union(*(_loaded_names(n) for n in outer))
        names |= _globals_read(self.tables[(node.name, node.lineno)])
        if not isinstance(node, ast.ClassDef):
            names |= {a.arg for a in _all_args(node.args)}  # fixtures are asked for by parameter name
        return names

    def _error(self, node: ast.stmt, what: str) -> SuiteShapeError:
        return SuiteShapeError(f"{self.path}:{node.lineno}: {what}")


def unresolved(text: str, filename: str) -> set[str]:
    """Global names a module reads but neither defines, imports nor finds among the builtins."""
    top = symtable.symtable(text, filename, "exec")
    defined = {s.get_name() for s in top.get_symbols() if s.is_assigned() or s.is_imported()}
    return _globals_read(top) - defined - set(dir(builtins)) - {"__file__", "__name__", "__doc__"}


def is_public(node: ast.FunctionDef) -> bool:
    return any(_marker(d) == "public" for d in node.decorator_list)


def points_of(node: ast.FunctionDef, path: Path) -> int:
    """The n of @pytest.mark.points(n); 1 without the marker (as the grading plugin counts)."""
    for d in node.decorator_list:
        if _marker(d) == "points":
            if isinstance(d, ast.Call) and len(d.args) == 1 and isinstance(d.args[0], ast.Constant) \
                    and isinstance(d.args[0].value, int):
                return d.args[0].value
            raise SuiteShapeError(f"{path}:{d.lineno}: @pytest.mark.points needs one integer literal")
    return 1


def first_line(node: ast.stmt) -> int:
    decorators = getattr(node, "decorator_list", [])
    return min([node.lineno] + [d.lineno for d in decorators])


def _marker(decorator: ast.expr) -> str | None:
    """`x` for @pytest.mark.x and @pytest.mark.x(...)."""
    target = decorator.func if isinstance(decorator, ast.Call) else decorator
    if isinstance(target, ast.Attribute) and isinstance(target.value, ast.Attribute) and target.value.attr == "mark":
        return target.attr
    return None


def _mentions_public(node: ast.ClassDef) -> bool:
    return any(_marker(d) == "public" for n in ast.walk(node) for d in getattr(n, "decorator_list", []))


def _is_autouse(node: ast.stmt) -> bool:
    return any(isinstance(d, ast.Call) and any(k.arg == "autouse" for k in d.keywords)
               for d in getattr(node, "decorator_list", []))


def _is_import(node: ast.stmt) -> bool:
    return isinstance(node, (ast.Import, ast.ImportFrom))


def _is_docstring(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def _all_args(args: ast.arguments) -> list[ast.arg]:
    return args.posonlyargs + args.args + args.kwonlyargs + [a for a in (args.vararg, args.kwarg) if a]


def _defined_names(node: ast.stmt) -> set[str]:
    """The module-level names a statement binds (none for a bare expression)."""
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return {node.name}
    if isinstance(node, ast.ImportFrom):
        return {(a.asname or a.name) for a in node.names}
    if isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target]
        return {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return set()


def _loaded_names(node: ast.AST) -> set[str]:
    """Names read anywhere in `node` (module scope: a comprehension's own variables may come along)."""
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}


def _globals_read(table: symtable.SymbolTable) -> set[str]:
    """Names a function or class body (and everything nested in it) reads from module scope."""
    names = {s.get_name() for s in table.get_symbols() if s.is_global() and s.is_referenced()}
    for child in table.get_children():
        names |= _globals_read(child)
    return names
