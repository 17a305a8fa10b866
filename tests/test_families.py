"""Problem families under problem_bank/families: schema, draws, independent oracles, rendering.

The schema, draw and distractor tests read the YAML with PyYAML directly, so they do not
depend on grader.bank.load. Every key is compared with a second computation in
family_oracles.py (numpy, torch, plain Python), never with the YAML expression itself:
once over 200 draws compiled here, and once over the engine's own draws (exact sympy keys,
rendered stems), which must also pass the engine's validator.
"""

from __future__ import annotations

import functools
import math
import random
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

import jinja2
import jinja2.meta
import numpy as np
import pytest
import sympy
import yaml

from family_oracles import ORACLES, Facts, Key
from grader.bank.instance import sample
from grader.bank.load import load_bank
from grader.bank.mathtext import RESERVED as ENGINE_RESERVED
from grader.bank.validate import validate

FAMILY_DIR = Path(__file__).resolve().parents[1] / "problem_bank" / "families"
DRAWS = 200
TYPES = {"nat", "mcq", "msq", "expr"}
BLOOMS = {"remember", "understand", "apply", "analyze", "evaluate", "create"}
ENTRY_KEYS = {
    "id", "title", "type", "marks", "bloom", "source", "params", "derived", "constraints",
    "answer", "tolerance", "domain", "variables", "options", "misconceptions", "stem", "solution",
}
REQUIRED_KEYS = {"id", "title", "type", "marks", "bloom", "source", "stem", "solution"}
ID_PREFIXES = {
    "gan": ("gan-",),
    "wgan": ("wgan-",),
    "vae": ("vae-",),
    "diffusion": ("ddpm-", "ddim-", "cfg-", "ldm-"),
    "flows": ("flow-",),
    "evaluation": ("eval-",),
    "concepts": ("concept-",),
    "autoencoders": ("ae-",),
    "energy": ("ebm-",),
    "autoregressive": ("ar-",),
}
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)+$")
MISCONCEPTION_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
PLACEHOLDER = re.compile(r"\{\{(.*?)\}\}", re.S)
PLACEHOLDER_FORM = re.compile(r"^\s*\(?\s*([A-Za-z_][\w\s+\-*/]*?)\s*\)?\s*(?:\|\s*(\w+)\s*(\(\s*\d[^)]*\))?)?\s*$")
ORACLE_REL = 1e-6
# names an author may not declare: sympy's own and those the bank's formula reader reserves
RESERVED = {
    "Abs", "E", "Eq", "I", "Max", "Min", "Ne", "Product", "Rational", "Sum", "abs", "acos", "answer", "asin",
    "atan", "binomial", "cbrt", "ceiling", "cos", "cosh", "e", "erf", "exp", "factorial", "floor", "gamma", "ln",
    "log", "max", "min", "nan", "oo", "pi", "sign", "sin", "sinh", "sqrt", "tan", "tanh",
}
RESERVED |= set(ENGINE_RESERVED)  # the engine's list is authoritative


# ---------------------------------------------------------------- loading


def _load() -> list[tuple[str, dict]]:
    """(topic, entry) for every problem of every family file."""
    out = []
    for path in sorted(FAMILY_DIR.glob("*.yaml")):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        assert set(doc) == {"topic", "problems"}, f"{path.name}: top-level keys {sorted(doc)}"
        assert doc["topic"] == path.stem, f"{path.name}: topic {doc['topic']!r} != file name"
        for entry in doc["problems"]:
            out.append((doc["topic"], entry))
    return out


FAMILIES = _load()
BY_ID = {entry["id"]: (topic, entry) for topic, entry in FAMILIES}
IDS = [entry["id"] for _, entry in FAMILIES]
# families with a number to compute (answer, misconception or option values) and with params to draw;
# the rest are fixed text-only mcq/msq, checked by test_schema and their Key oracle
NUMERIC_IDS = [e["id"] for _, e in FAMILIES
               if e.get("answer") or e.get("misconceptions") or any("value" in o for o in e.get("options") or [])]
DRAWN_IDS = [e["id"] for _, e in FAMILIES if e["id"] in NUMERIC_IDS or e.get("params")]


def _exact(text) -> sympy.Expr:
    return sympy.nsimplify(sympy.sympify(str(text)), rational=True)


def param_grid(spec: dict) -> list[sympy.Expr]:
    """All values a param spec can take, exact."""
    if "choice" in spec:
        return [sympy.sympify(str(v)) for v in spec["choice"]]
    if "int" in spec:
        lo, hi = (int(v) for v in spec["int"])
        return [sympy.Integer(i) for i in range(lo, hi + 1)]
    lo, hi = (_exact(v) for v in spec["range"])
    step = _exact(spec["step"])
    n = int(sympy.floor((hi - lo) / step))
    assert n >= 1 and lo + n * step == hi, f"range {spec['range']} is not a whole number of steps {step}"
    return [lo + i * step for i in range(n + 1)]


# The engine's template environment: its filters (fmt, tex, approx, ...) and globals (lin, power).
from grader.bank.render import environment  # noqa: E402

ENV = environment()


# ---------------------------------------------------------------- compiling


@dataclass
class Compiled:
    id: str
    entry: dict
    names: list[str]  # params then derived, in order
    grids: dict[str, list]
    derived: list[tuple[str, object, list[str]]] = field(default_factory=list)
    constraints: list[tuple[str, object, list[str]]] = field(default_factory=list)
    values: dict[str, tuple[object, list[str]]] = field(default_factory=dict)  # answer, mis:*, opt:*
    variables: list[str] = field(default_factory=list)


def _parse(text: str, known: list[str], where: str) -> sympy.Expr:
    expr = sympy.sympify(str(text), locals={n: sympy.Symbol(n) for n in known})
    unknown = {str(s) for s in expr.free_symbols} - set(known)
    assert not unknown, f"{where}: undeclared names {sorted(unknown)} in {text!r}"
    return expr


def _fn(expr: sympy.Expr, known: list[str]):
    used = sorted({str(s) for s in expr.free_symbols}, key=known.index)
    return sympy.lambdify([sympy.Symbol(n) for n in used], expr, modules="numpy"), used


def compile_with(entry: dict, answer: str | None) -> Compiled:
    pid = entry["id"]
    params = entry.get("params") or {}
    comp = Compiled(pid, entry, list(params), {k: param_grid(v) for k, v in params.items()})
    for name, text in (entry.get("derived") or {}).items():
        expr = _parse(text, comp.names, f"{pid}: derived.{name}")
        comp.derived.append((name, *_fn(expr, comp.names)))
        comp.names.append(name)
    for i, text in enumerate(entry.get("constraints") or []):
        expr = _parse(text, comp.names, f"{pid}: constraints[{i}]")
        comp.constraints.append((text, *_fn(expr, comp.names)))
    comp.variables = list(entry.get("variables") or [])
    known = comp.names + comp.variables
    if answer is not None:
        comp.values["answer"] = _fn(_parse(answer, known, f"{pid}: answer"), known)
    for m in entry.get("misconceptions") or []:
        comp.values[f"mis:{m['id']}"] = _fn(_parse(m["expr"], known, f"{pid}: {m['id']}"), known)
    for i, opt in enumerate(entry.get("options") or []):
        if "value" in opt:
            comp.values[f"opt:{i}"] = _fn(_parse(opt["value"], known, f"{pid}: options[{i}]"), known)
    return comp


@functools.lru_cache(maxsize=None)
def compiled(pid: str) -> Compiled:
    entry = BY_ID[pid][1]
    return compile_with(entry, entry.get("answer"))


def _call(fn_used, env: dict) -> float:
    fn, used = fn_used
    value = fn(*[env[n] for n in used])
    assert not np.iscomplexobj(value), f"complex value {value}"
    return float(value)


def draw(comp: Compiled, rng: random.Random, max_tries: int = 5000):
    """(exact params, float env, tries) of one accepted draw, honouring the constraints."""
    for tries in range(1, max_tries + 1):
        exact = {k: rng.choice(grid) for k, grid in comp.grids.items()}
        env = {k: float(v) for k, v in exact.items()}
        for name, fn, used in comp.derived:
            # derived values must exist on every raw draw: the sampler evaluates them
            # before it can test the constraints
            with np.errstate(all="raise"):
                env[name] = _call((fn, used), env)
            assert math.isfinite(env[name]), f"{comp.id}: derived {name} = {env[name]} at {exact}"
        if all(bool(fn(*[env[n] for n in used])) for _, fn, used in comp.constraints):
            return exact, env, tries
    raise AssertionError(f"{comp.id}: no draw satisfied the constraints in {max_tries} tries")


@dataclass
class Draws:
    exact: list[dict]
    envs: list[dict]
    acceptance: float


@functools.lru_cache(maxsize=None)
def draws(pid: str) -> Draws:
    comp = compiled(pid)
    rng = random.Random(zlib.crc32(pid.encode()))
    n = DRAWS if comp.grids else 1
    out, tries = [], 0
    for _ in range(n):
        exact, env, t = draw(comp, rng)
        out.append((exact, env))
        tries += t
    return Draws([e for e, _ in out], [v for _, v in out], n / tries)


def points(comp: Compiled, env: dict, oracle) -> list[dict]:
    """Variable assignments at which an expr family is compared."""
    lo, hi = getattr(oracle, "domain", (-2.0, 2.0))
    xs = np.linspace(lo, hi, 9)[1:-1]
    return [dict(env, **{comp.variables[0]: float(x)}) for x in xs]


def tolerance(entry: dict, key: float) -> float:
    tol = entry["tolerance"]
    return float(tol["abs"]) if "abs" in tol else float(tol["rel"]) * abs(key)


def close(a: float, b: float, rel: float) -> bool:
    return abs(a - b) <= rel * max(1.0, abs(b))


@functools.lru_cache(maxsize=None)
def oracle_values(pid: str) -> tuple[tuple[float, ...], ...]:
    """The oracle's value at each draw of the family (expr: at each point of each draw)."""
    comp, oracle = compiled(pid), ORACLES[pid]
    out = []
    for env in draws(pid).envs:
        p = SimpleNamespace(**{k: env[k] for k in comp.grids})
        if comp.entry["type"] == "expr":
            out.append(tuple(oracle(p, pt[comp.variables[0]]) for pt in points(comp, env, oracle)))
        elif comp.entry["type"] == "msq":
            out.append(tuple(oracle(p)))  # per option: the true value of what the option claims
        else:
            out.append((oracle(p),))
    return tuple(out)


def oracle_mismatches(comp: Compiled, pid: str) -> list[str]:
    """Draws of family pid where comp's key disagrees with pid's oracle (empty when all agree)."""
    oracle = ORACLES[pid]
    rel = getattr(oracle, "rel", ORACLE_REL)
    bad = []
    for env, wants in zip(draws(pid).envs, oracle_values(pid)):
        if comp.entry["type"] == "msq":
            if not claims_hold(comp, env, wants, rel):
                bad.append(f"params { {k: env[k] for k in comp.grids} }: the options' claims against the oracle {wants}")
            continue
        if comp.entry["type"] == "expr":
            gots = tuple(_call(comp.values["answer"], pt) for pt in points(comp, env, oracle))
        else:
            gots = (correct_value(comp, env),)
        if not all(close(got, want, rel) for got, want in zip(gots, wants)):
            bad.append(f"params { {k: env[k] for k in comp.grids} }: key {gots}, oracle {wants}")
    return bad


def claims_hold(comp: Compiled, env: dict, truths: tuple, rel: float) -> bool:
    """An msq with values: an option is marked correct exactly when its value is the true value of what
    it claims (the oracle gives that value for every option, right or wrong)."""
    options = comp.entry["options"]
    values = [_call(comp.values[f"opt:{i}"], env) for i in range(len(options))]
    return len(truths) == len(options) and all(
        bool(o.get("correct")) == close(v, t, rel) for o, v, t in zip(options, values, truths))


def correct_value(comp: Compiled, env: dict) -> float:
    if comp.entry["type"] == "nat":
        return _call(comp.values["answer"], env)
    (i,) = [i for i, o in enumerate(comp.entry["options"]) if o.get("correct")]
    return _call(comp.values[f"opt:{i}"], env)


def key_matches(entry: dict, key) -> list[str]:
    """Problems with the key of a text-only mcq/msq (empty when the key agrees)."""
    if isinstance(key, Facts):
        return facts_disagree(entry, key)
    texts = [o["text"].lower() for o in entry["options"]]
    hits = [{i for i, t in enumerate(texts) if kw.lower() in t} for kw in key.keywords]
    problems = [f"keyword {kw!r} matches options {sorted(h)}" for kw, h in zip(key.keywords, hits) if len(h) != 1]
    marked = {i for i, o in enumerate(entry["options"]) if o.get("correct")}
    matched = set().union(*hits) if hits else set()
    if matched != marked:
        problems.append(f"correct options {sorted(marked)}, the key says {sorted(matched)}")
    return problems


def facts_disagree(entry: dict, facts: Facts) -> list[str]:
    """Each option is about exactly one subject of the fact table (and each subject is in one option);
    an option is marked correct exactly when its subject's fact is true."""
    texts = [o["text"] for o in entry["options"]]
    about = {i: [s for s in facts.table if re.search(s, t, re.I)] for i, t in enumerate(texts)}
    problems = [f"option {i} is about {found or 'no subject'} of the table" for i, found in about.items()
                if len(found) != 1]
    problems += [f"subject {s!r} is in {n} options" for s in facts.table
                 if (n := sum(s in found for found in about.values())) != 1]
    problems += [f"option {i} is marked {bool(o.get('correct'))}, the fact says {facts.table[about[i][0]][0]}: "
                 f"{facts.table[about[i][0]][1]}" for i, o in enumerate(entry["options"])
                 if len(about[i]) == 1 and bool(o.get("correct")) != facts.table[about[i][0]][0]]
    return problems


def numeric_options(entry: dict) -> bool:
    return any("value" in o for o in entry.get("options") or [])


# ---------------------------------------------------------------- bank-level tests


def test_bank_size_coverage_and_mix():
    assert len(FAMILIES) >= 40, f"only {len(FAMILIES)} families"
    assert len(set(IDS)) == len(IDS), "duplicate ids"
    assert set(ID_PREFIXES) <= {t for t, _ in FAMILIES}, "a topic has no family"
    types = [e["type"] for _, e in FAMILIES]
    assert types.count("nat") > len(types) / 2, "nat should be the majority"
    assert types.count("mcq") >= 5 and types.count("msq") >= 2 and types.count("expr") >= 2
    titles = [e["title"] for _, e in FAMILIES]
    assert len(set(titles)) == len(titles), "two families share a title"


@pytest.mark.parametrize("topic", sorted(ID_PREFIXES))
def test_topic_covers_its_subjects(topic):
    required = {
        "gan": ["gan-dstar-gauss", "gan-vstar-discrete", "gan-jsd-bernoulli", "gan-grad-ratio", "gan-label-smoothing",
                "gan-ttur-spiral", "gan-dcgan-size", "gan-training-claims", "gan-stylegan-mapping"],
        "wgan": ["wgan-critic-loss", "wgan-clip-facts", "wgan-lipschitz-linear", "wgan-w1-dirac", "wgan-w1-gauss"],
        "vae": ["vae-kl-diag", "vae-elbo-gauss", "vae-beta-loss", "vae-reparam-dlogvar", "vae-kl-two-gauss",
                "vae-elbo-gap", "vae-elbo-gap-claims"],
        "diffusion": [
            "ddpm-alpha-bar", "ddpm-alpha-bar-cosine", "ddpm-snr", "ddpm-signal-coef", "ddpm-xt",
            "ddpm-posterior-mean", "ddpm-posterior-var", "ddim-step", "ddpm-pred-x0", "cfg-guidance",
            "ldm-compression", "ddpm-reverse-step", "ddpm-reverse-claims",
        ],
        "flows": ["flow-affine-logp", "flow-coupling-logdet", "flow-planar-logdet"],
        "evaluation": ["eval-fid-diag", "eval-inception-score"],
        "concepts": ["concept-mode-collapse", "concept-exact-likelihood", "concept-wgan-gp", "concept-kl-term",
                     "concept-generative-params"],
        "autoencoders": ["ae-interp-norm", "ae-param-count"],
        "energy": ["ebm-langevin-step"],
        "autoregressive": ["ar-mask-weights"],
    }[topic]
    missing = [pid for pid in required if pid not in BY_ID or BY_ID[pid][0] != topic]
    assert not missing, f"{topic}: missing {missing}"


def test_every_family_has_an_oracle():
    assert not sorted(set(IDS) - set(ORACLES)), "families without an oracle"
    assert not sorted(set(ORACLES) - set(IDS)), "oracles without a family"


# ---------------------------------------------------------------- per-family tests


@pytest.mark.parametrize("pid", IDS)
def test_schema(pid):
    topic, e = BY_ID[pid]
    assert REQUIRED_KEYS <= set(e) <= ENTRY_KEYS, f"keys {sorted(set(e) ^ REQUIRED_KEYS)}"
    assert KEBAB.match(pid) and pid.startswith(ID_PREFIXES[topic]), f"id {pid!r} in topic {topic}"
    assert e["type"] in TYPES and e["marks"] in (1, 2) and e["bloom"] in BLOOMS
    assert isinstance(e["source"], str) and e["source"].strip()
    for name in list(e.get("params") or {}) + list(e.get("derived") or {}) + list(e.get("variables") or []):
        assert isinstance(sympy.sympify(name), sympy.Symbol), f"name {name!r} clashes with a sympy builtin"
        assert name not in RESERVED, f"name {name!r} is reserved"
    for name, spec in (e.get("params") or {}).items():
        assert set(spec) in ({"choice"}, {"int"}, {"range", "step"}), f"params.{name}: {spec}"
        grid = param_grid(spec)
        assert len(grid) >= 2 and len(set(grid)) == len(grid), f"params.{name}: grid {grid}"
    mis = e.get("misconceptions") or []
    for m in mis:
        assert set(m) == {"id", "expr", "feedback"} and MISCONCEPTION_ID.match(m["id"]) and m["feedback"].strip()
    assert len({m["id"] for m in mis}) == len(mis), "duplicate misconception ids"
    if e["type"] in ("nat", "expr"):
        assert "answer" in e and "options" not in e and len(mis) >= 2
    if e["type"] == "nat":
        tol = e["tolerance"]
        assert len(tol) == 1 and set(tol) <= {"abs", "rel"} and 0 < float(next(iter(tol.values()))) <= 0.05
    if e["type"] == "expr":
        assert e["variables"] and all(isinstance(sympy.sympify(v), sympy.Symbol) for v in e["variables"])
        assert not set(e["variables"]) & set(e.get("params") or {})
    if e["type"] in ("mcq", "msq"):
        opts = e["options"]
        assert len(opts) >= 4 and not mis and "tolerance" not in e
        correct = [o for o in opts if o.get("correct")]
        assert len(correct) == 1 if e["type"] == "mcq" else len(correct) >= 1
        assert len(correct) < len(opts), "no distractor"
        for o in opts:
            assert isinstance(o.get("text"), str) and o["text"].strip()
            if not o.get("correct"):
                assert MISCONCEPTION_ID.match(o.get("misconception", "")) and o.get("feedback", "").strip(), o
        assert len({o["text"] for o in opts}) == len(opts), "two options share a text"
        assert all("value" in o for o in opts) or not numeric_options(e), "value on some options only"


@pytest.mark.parametrize("pid", DRAWN_IDS)
def test_draws_are_finite_real_and_constraints_are_not_too_tight(pid):
    comp, d = compiled(pid), draws(pid)
    assert d.acceptance >= 0.1, f"only {d.acceptance:.1%} of raw draws satisfy the constraints"
    if comp.grids:
        assert len({tuple(sorted(e.items())) for e in d.exact}) >= 5, "too few distinct variants"
    for env in d.envs:
        for name in comp.values:
            envs = points(comp, env, ORACLES[pid]) if comp.variables else [env]
            for pt in envs:
                with np.errstate(all="raise"):
                    value = _call(comp.values[name], pt)
                assert math.isfinite(value), f"{name} = {value} at {pt}"


@pytest.mark.parametrize("pid", IDS)
def test_key_matches_independent_oracle(pid):
    comp, oracle = compiled(pid), ORACLES[pid]
    if isinstance(oracle, (Key, Facts)):
        assert not numeric_options(comp.entry) and comp.entry["type"] in ("mcq", "msq")
        assert not key_matches(comp.entry, oracle)
        return
    assert callable(oracle) and (comp.entry["type"] != "msq" or numeric_options(comp.entry))
    bad = oracle_mismatches(comp, pid)
    assert not bad, f"{len(bad)} mismatches, e.g. {bad[:3]}"


def _wrong_keys() -> list[tuple[str, str]]:
    """(family, distractor) for every misconception and every wrong option."""
    out = []
    for _, e in FAMILIES:
        out += [(e["id"], m["id"]) for m in e.get("misconceptions") or []]
        out += [(e["id"], f"option {i}") for i, o in enumerate(e.get("options") or []) if not o.get("correct")]
    return out


@pytest.mark.parametrize("pid, wrong", _wrong_keys(), ids=lambda v: v)
def test_oracle_rejects_each_distractor_as_the_key(pid, wrong):
    """The oracle comparison is not vacuous: with a distractor swapped in as the key it fails at
    every draw (an msq keeps its correct options and gains the wrong one)."""
    entry, oracle = BY_ID[pid][1], ORACLES[pid]
    if wrong.startswith("option "):
        index = int(wrong.split()[1])
        keep = entry["type"] == "msq"
        flipped = [dict(o, correct=(i == index) or (keep and bool(o.get("correct"))))
                   for i, o in enumerate(entry["options"])]
        if isinstance(oracle, (Key, Facts)):
            assert key_matches(dict(entry, options=flipped), oracle)
            return
        bogus = compile_with(dict(entry, options=flipped), entry.get("answer"))
    else:
        bogus = compile_with(entry, next(m["expr"] for m in entry["misconceptions"] if m["id"] == wrong))
    assert len(oracle_mismatches(bogus, pid)) == len(draws(pid).envs), "the oracle accepted a distractor"


@pytest.mark.parametrize("pid", NUMERIC_IDS)
def test_distractors_are_distinguishable(pid):
    comp, d = compiled(pid), draws(pid)
    e = comp.entry
    for env in d.envs:
        if e["type"] == "nat":
            key = _call(comp.values["answer"], env)
            tol = tolerance(e, key)
            wrong = {m["id"]: _call(comp.values[f"mis:{m['id']}"], env) for m in e["misconceptions"]}
            for mid, value in wrong.items():
                assert abs(value - key) > tol, f"{mid}: {value} vs key {key} (tol {tol}) at {env}"
            # a wrong answer must point to one mistake only, or its feedback would be a guess
            values = sorted(wrong.items(), key=lambda kv: kv[1])
            for (m1, v1), (m2, v2) in zip(values, values[1:]):
                assert v2 - v1 > tol, f"{m1} and {m2} coincide ({v1}, {v2}) at {env}"
        elif e["type"] == "expr":
            pts = points(comp, env, ORACLES[pid])
            key = [_call(comp.values["answer"], pt) for pt in pts]
            for m in e["misconceptions"]:
                wrong = [_call(comp.values[f"mis:{m['id']}"], pt) for pt in pts]
                assert max(abs(a - b) for a, b in zip(key, wrong)) > 0.01, f"{m['id']} equals the key at {env}"
        elif numeric_options(e):
            vals = [_call(comp.values[f"opt:{i}"], env) for i in range(len(e["options"]))]
            gaps = [abs(a - b) for i, a in enumerate(vals) for b in vals[i + 1:]]
            assert min(gaps) > 0.01, f"option values {vals} at {env}"
            if "answer" in e:
                assert close(correct_value(comp, env), _call(comp.values["answer"], env), 1e-12)


def _templates(e: dict) -> dict[str, str]:
    out = {"stem": e["stem"], "solution": e["solution"]}
    out.update({f"options[{i}].text": o["text"] for i, o in enumerate(e.get("options") or [])})
    return out


EXACT_FILTERS = {"tex", "base", "factor", "plus", "minus", "lead", "exp", "coefficient"}  # print exact LaTeX unless given digits


def _names(source) -> set[str]:
    """The names a placeholder's source (or an expression node of one) reads."""
    if not isinstance(source, str):
        return {n.name for n in source.find_all(jinja2.nodes.Name)} - set(ENV.globals)
    return jinja2.meta.find_undeclared_variables(ENV.parse("{{" + source + "}}")) - set(ENV.globals)


def _outer_filter(inner: str):
    """(filter name or None, whether its first argument gives digits, the expression it prints)."""
    node = ENV.parse("{{" + inner + "}}").body[0].nodes[0]
    if not isinstance(node, jinja2.nodes.Filter):
        return None, False, node
    digits = bool(node.args) and isinstance(node.args[0], jinja2.nodes.Const) and type(node.args[0].value) is int
    return node.name, digits, node.node


@pytest.mark.parametrize("pid", IDS)
def test_templates_use_filtered_names_only(pid):
    """A bare name is an integer param; a value printed as exact LaTeX (tex, base, plus, lin, ...
    without a digits argument) is an expression of params; derived values print with digits."""
    comp = compiled(pid)
    e = comp.entry
    integral = {k for k, g in comp.grids.items() if all(v.is_integer for v in g)}
    for where, text in _templates(e).items():
        assert "{%" not in text and "{#" not in text and "{{{" not in text, f"{where}: statement or brace run"
        for inner in PLACEHOLDER.findall(text):
            names = _names(inner)
            unknown = names - set(comp.names) - {"answer"}
            assert not unknown, f"{where}: unknown names {sorted(unknown)} in {{{{{inner}}}}}"
            # for mcq/msq the engine binds `answer` to the correct letters, not to a number
            assert not ("answer" in names and e["type"] in ("mcq", "msq")), f"{where}: use a derived name"
            name, digits, value = _outer_filter(inner)
            printed = _names(value) - ({"answer"} if e["type"] == "expr" else set())
            if name is None:
                bare = inner.strip()
                assert bare in integral or not _names(value) - set(comp.grids) and "(" in bare, \
                    f"{where}: {bare!r} needs a filter (not an integer param)"
                continue
            assert name in ENV.filters, f"{where}: unknown filter in {inner!r}"
            if name in EXACT_FILTERS and not digits:
                assert printed <= set(comp.grids), f"{where}: exact LaTeX of {sorted(printed - set(comp.grids))}"


    for m in e.get("misconceptions") or []:
        assert "{{" not in m["feedback"]
    for o in e.get("options") or []:
        assert "{{" not in o.get("feedback", "")


# ---------------------------------------------------------------- the engine's own draws

ENGINE_SEEDS = range(12)


@functools.lru_cache(maxsize=None)
def engine_variants(pid: str) -> tuple:
    """The variants the engine draws for seeds 0..11 (one for a fixed problem)."""
    problem = engine_bank().problems[pid]
    return tuple(sample(problem, seed) for seed in ([None] if problem.fixed else ENGINE_SEEDS))


@functools.lru_cache(maxsize=None)
def engine_bank():
    return load_bank(FAMILY_DIR)


def engine_params(variant) -> SimpleNamespace:
    return SimpleNamespace(**{k: float(sympy.sympify(v)) for k, v in variant.params.items()})


@pytest.mark.parametrize("pid", IDS)
def test_engine_keys_match_the_oracle_on_its_own_draws(pid):
    """The engine's exact sympy keys (and NAT ranges) at its own draws, against the oracle."""
    oracle, rel = ORACLES[pid], getattr(ORACLES[pid], "rel", ORACLE_REL)
    for v in engine_variants(pid):
        if isinstance(oracle, (Key, Facts)):
            assert not key_matches({"options": [{"text": o.text, "correct": o.correct} for o in v.options]}, oracle)
            continue
        p = engine_params(v)
        if v.type == "expr":
            (name,) = v.variables
            key = sympy.lambdify(sympy.Symbol(name), sympy.sympify(v.answer_exact, locals={name: sympy.Symbol(name)}))
            lo, hi = getattr(oracle, "domain", (-2.0, 2.0))
            for x in np.linspace(lo, hi, 9)[1:-1]:
                assert close(float(key(x)), oracle(p, x), rel), (v.params, x)
            continue
        want = oracle(p)
        if v.type == "nat":
            assert close(v.answer, want, rel) and v.interval[0] <= want <= v.interval[1], (v.params, v.answer, want)
            assert not [d for d in v.distractors if d.interval and d.interval[0] <= want <= d.interval[1]]
        elif v.type == "msq":
            for o, truth in zip(v.options, want):
                assert o.correct == close(float(sympy.sympify(o.value)), truth, rel), (v.params, o.text, truth)
        else:
            (value,) = [o.value for o in v.options if o.correct]
            assert close(float(sympy.sympify(value)), want, rel), (v.params, value, want)


@pytest.mark.parametrize("pid", IDS)
def test_engine_renders_every_draw(pid):
    variants = engine_variants(pid)
    for v in variants:
        for where, text in {"stem": v.stem, "solution": v.solution, **{f"option {i}": o.text
                                                                       for i, o in enumerate(v.options)}}.items():
            assert "{{" not in text and "nan" not in text.split() and "None" not in text, (where, text)
            assert text.count("$") % 2 == 0, f"{where}: unbalanced $ in {text!r}"
        assert len(v.stem) > 60
    if len(variants) > 1:
        assert len({v.stem for v in variants}) > 1, "every seed printed the same stem"


def test_bank_engine_accepts_the_families():
    """The engine's own validator (schema, sweep, rendering) agrees."""
    report = validate(FAMILY_DIR)
    assert report.problems == len(FAMILIES)
    assert not report.issues, "\n".join(str(i) for i in report.issues[:10])
    assert not report.warnings, "\n".join(str(i) for i in report.warnings)  # every family varied enough
