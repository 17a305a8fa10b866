"""Hidden checks of exercise c6, optimal_discriminator(p_data, p_g).

The probes hand the student's function density functions defined here (plain Python
functions over tensors), call the D it returns on batches of points and send back what D
returned. The verdicts rebuild the same densities on the same points (identical bits:
same code, same inputs) and compute the expected D exactly, as the fraction
p / (p + q) of those floating-point numbers (fractions.Fraction, rounded once), so
nothing here depends on the reference solution and every correct formula passes:
p/(p+q), 1/(1+q/p), sigmoid(log p - log q), exp(log p - logaddexp(log p, log q)),
softmax of the log-densities, with or without torch.where guards.

Known wrong D's are evaluated on the same densities to name a mistake when the student's
values equal one of them (`wrong_ds`), or when they show its signature far in the tails
(`tail_signature`).

Helpers kept here rather than in grader/: `attempt` (a probe-side capture that keeps the
student's frames, so a verdict can name a mistake from an exception and still show where
it was raised) and the case machinery below.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Callable

import torch

from grader.check import expect
from grader.check.judge import format_exception
from grader.sandbox.device_spy import run_on_device
from grader.sandbox.probing import backward_if_possible
from grader.check.suite import Fail, Suite
from grader.check.wire import TensorValue

suite = Suite(function="optimal_discriminator")
F64, F32 = torch.float64, torch.float32
SOURCE = "optimal_discriminator.py"
TOLERANCE = {F64: (1e-9, 1e-12), F32: (1e-4, 1e-6)}  # (rtol, atol): loose enough for every correct formula
EPSILONS = (1e-4, 1e-6, 1e-7, 1e-8, 1e-10, 1e-12, 1e-15, 1e-20, 1e-30)  # stabilizers students add


# --- the densities handed to the student (also rebuilt by the verdicts) -------------------

def normal(mu, sigma=1.0):
    """N(mu, sigma^2); mu may be a tensor (the gradient probe differentiates through it)."""
    def density(x):
        return torch.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    return density


def normal_2d(a, b):
    """N((a, b), I) for points of shape (N, 2); densities of shape (N,)."""
    def density(x):
        return torch.exp(-0.5 * ((x[..., 0] - a) ** 2 + (x[..., 1] - b) ** 2)) / (2 * math.pi)
    return density


def laplace(mu):
    """Laplace(mu, 1): 0.5 exp(-|x - mu|). Two of them have a constant ratio far out in a tail."""
    def density(x):
        return 0.5 * torch.exp(-(x - mu).abs())
    return density


def triangle(x):
    """p(x) = 2x on [0, 1], zero elsewhere (the worked example's p_data)."""
    return torch.where((x >= 0) & (x <= 1), 2 * x, torch.zeros_like(x))


def uniform(a, b):
    def density(x):
        inside = (x >= a) & (x <= b)
        return torch.where(inside, torch.full_like(x, 1 / (b - a)), torch.zeros_like(x))
    return density


@dataclass(frozen=True)
class Case:
    label: str  # how feedback names the situation
    p_data: Callable
    p_g: Callable
    x: tuple
    dtype: torch.dtype = F64

    def points(self) -> torch.Tensor:
        return torch.tensor(self.x, dtype=self.dtype)

    def densities(self) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.points()
        return self.p_data(x), self.p_g(x)


def mirrored(*xs):
    return tuple(-v for v in reversed(xs)) + tuple(xs)


SEED = Case("the worked example, p_data(x) = 2x on [0, 1] and p_g uniform on [0, 1]",
            triangle, uniform(0, 1), (0.0, 0.25, 0.5, 0.75, 1.0))
GAUSS = Case("p_data = N(3, 1), p_g = N(5, 1)", normal(3), normal(5),
             (3.0, 4.0, 5.0, -1.0, 0.0, 1.0, 2.0, 2.5, 3.5, 4.5, 5.5, 6.0, 7.0, 8.0, 9.0))
ONE = Case("a batch of one point, p_data = N(3, 1), p_g = N(5, 1)", normal(3), normal(5), (3.7,))
PLANE = Case("2-D points, p_data = N((0, 0), I), p_g = N((1, -1), I)", normal_2d(0, 0), normal_2d(1, -1),
             ((0.0, 0.0), (1.0, -1.0), (0.5, -0.5), (-1.0, 2.0), (2.0, -2.5), (0.3, 1.7), (-2.0, -1.0)))
SUPPORT = Case("p_data(x) = 2x on [0, 1], p_g uniform on [0.5, 1.5] (where one density is zero)",
               triangle, uniform(0.5, 1.5), (0.1, 0.3, 0.6, 0.9, 1.2, 1.4))
VALUE_CASES = {"seed": SEED, "gauss": GAUSS, "one": ONE, "plane": PLANE, "support": SUPPORT}

# Far tails: densities from ~1e-100 down to subnormal numbers (~1e-311, below 2.2e-308),
# all nonzero in float64. In the shifted-Gaussian and Laplace pairs D stays between 0.02 and
# 0.98 however far out x is, so a 1e-8 stabilizer or a float32 cast cannot hide.
TAIL_CASES = {
    "gauss_tails": Case("far in the tails of p_data = N(3, 1), p_g = N(5, 1)", normal(3), normal(5),
                        tuple(float(v) for v in range(-33, 41))),
    "shifted_tails": Case("far in the tails of p_data = N(0, 1), p_g = N(0.1, 1)", normal(0), normal(0.1),
                          mirrored(20.0, 25.0, 30.0, 33.0, 35.0, 36.0, 37.0, 37.5)),
    "laplace_tails": Case("far in the tails of p_data = Laplace(0, 1), p_g = Laplace(1, 1)", laplace(0), laplace(1),
                          mirrored(50.0, 150.0, 300.0, 450.0, 600.0, 690.0, 700.0, 705.0, 710.0, 714.0)),
}
FLOAT32_CASES = {
    "laplace32": Case("float32 densities, far in the tails of p_data = Laplace(0, 1), p_g = Laplace(1, 1)",
                      laplace(0), laplace(1), mirrored(10.0, 30.0, 50.0, 69.0, 75.0, 80.0, 84.0), F32),
    "gauss32": Case("float32 densities, far in the tails of p_data = N(0, 1), p_g = N(0.1, 1)",
                    normal(0), normal(0.1), mirrored(3.0, 6.0, 9.0, 11.0, 12.0, 12.5), F32),
    "seed32": Case("float32 densities, the worked example", triangle, uniform(0, 1), (0.0, 0.5, 1.0), F32),
}
BASIC_CASES = {  # shapes and dtypes only
    "batch5": Case("a float64 batch of 5 points", triangle, uniform(0, 1), (0.0, 0.25, 0.5, 0.75, 1.0)),
    "batch7_f32": Case("a float32 batch of 7 points", normal(3), normal(5), tuple(float(v) for v in range(1, 8)), F32),
    "batch1": Case("a batch of 1 point", normal(3), normal(5), (4.0,)),
    "plane": Case("a batch of 6 two-dimensional points (x of shape (6, 2))", normal_2d(0, 0), normal_2d(1, -1),
                  ((0.0, 0.0), (1.0, -1.0), (0.5, 0.5), (-1.0, 2.0), (2.0, -2.0), (0.3, 1.7))),
}

# D called repeatedly: two discriminators alive at once, new points of the same and of other shapes.
CALL_A, CALL_B, CALL_C = (3.0, 4.0, 5.0), (2.0, 6.0, 4.5), tuple(float(v) for v in range(0, 9))
CALLS = (  # (key, which D, points, what the feedback calls it)
    ("first", "D1", CALL_A, "the first call D(x)"),
    ("other", "D2", CALL_A, "a second discriminator, built with p_data and p_g swapped,"),
    ("same_shape", "D1", CALL_B, "a later call of D on new points of the same shape"),
    ("new_shape", "D1", CALL_C, "a later call of D on 9 new points"),
    ("again", "D1", CALL_A, "D called again on the first points"),
)
DENSITIES_OF = {"D1": (normal(3), normal(5)), "D2": (normal(5), normal(3))}
GRAD_X = (2.0, 2.5, 3.0, 3.5, 4.25, 5.0, 5.5, 6.0)  # densities above 4e-3: gradients well conditioned
GRAD_W = (1.0, -0.5, 2.0, 1.5, -1.0, 0.75, 1.25, -2.0)


# --- probes: run in the student's process -------------------------------------------------

def attempt(thunk: Callable[[], Any]) -> dict[str, Any]:
    """Like grader.sandbox.probing.capture, but keeps the error structured (type, message, the
    student's frames) for the verdict. The stub's NotImplementedError passes through, so
    an untouched stub reads 'not started'."""
    from grader.sandbox.child import describe_error, raised_by_student  # probes run in the sandbox

    try:
        return {"result": thunk()}
    except Exception as exc:  # noqa: BLE001 - the verdict decides what the error means
        if isinstance(exc, NotImplementedError) and raised_by_student(exc):
            raise
        return {"error": describe_error(exc)}


def build(fn: Callable, p_data: Callable, p_g: Callable) -> tuple[Callable | None, dict[str, Any]]:
    """(D, {}) when the student's function returns a callable, else (None, what it did)."""
    made = attempt(lambda: fn(p_data, p_g))
    if "error" in made:
        return None, {"construct_error": made["error"]}
    if not callable(made["result"]):
        return None, {"returned": made["result"]}
    return made["result"], {}


def run_case(fn: Callable, case: Case) -> dict[str, Any]:
    D, trouble = build(fn, case.p_data, case.p_g)
    if D is None:
        return trouble
    return attempt(lambda: D(case.points()))


@suite.probe
def basics(fn):
    D, trouble = build(fn, triangle, uniform(0, 1))
    out = {"callable": D is not None, **trouble}
    out.update({name: run_case(fn, case) for name, case in BASIC_CASES.items()})
    return out


@suite.probe
def values(fn):
    return {name: run_case(fn, case) for name, case in VALUE_CASES.items()}


@suite.probe
def tails(fn):
    return {name: run_case(fn, case) for name, case in {**TAIL_CASES, **FLOAT32_CASES}.items()}


@suite.probe
def calls(fn):
    made = {}
    for name, (p_data, p_g) in DENSITIES_OF.items():
        made[name], trouble = build(fn, p_data, p_g)
        if made[name] is None:
            return trouble
    return {key: attempt(lambda d=made[which], x=x: d(torch.tensor(x, dtype=F64)))
            for key, which, x, _ in CALLS}


@suite.probe
def gradients(fn):
    x = torch.tensor(GRAD_X, dtype=F64, requires_grad=True)
    mu_g = torch.tensor(5.0, dtype=F64, requires_grad=True)
    D, trouble = build(fn, normal(3), normal(mu_g))
    if D is None:
        return trouble
    value = attempt(lambda: D(x))
    d = value.get("result")
    backward_if_possible(d, x, torch.tensor(GRAD_W, dtype=F64))
    return {**value, "x_grad": x.grad, "mu_grad": mu_g.grad}


@suite.probe
def device(fn):
    x = torch.linspace(-2.0, 9.0, 11, dtype=F64)
    return run_on_device(lambda move: fn(normal(3), normal(5))(move(x)))


# --- verdict helpers: run in the grader's process ------------------------------------------

def exact_d(p: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """p / (p + q) of the given floating-point numbers, exactly, rounded once to float64."""
    values = []
    for a, b in zip(p.double().tolist(), q.double().tolist()):
        fa, fb = Fraction(a), Fraction(b)
        values.append(float(fa / (fa + fb)))
    return torch.tensor(values, dtype=F64)


def wrong_ds(p: torch.Tensor, q: torch.Tensor, want: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
    """What each known mistake returns for these densities, in float64 (inf and nan kept).

    Where two mistakes coincide (far in the tails sigmoid(p - q) is 1/2 too) the first listed wins.
    """
    p, q = p.double(), q.double()
    s, r = p + q, p / q
    p32, q32 = p.float(), q.float()
    out = [
        ("inverted", q / s),
        ("ratio-not-normalized", r),
        ("one-minus-ratio", 1 - q / p),
        ("half-everywhere", torch.full_like(p, 0.5)),
        ("sigmoid-of-difference", torch.sigmoid(p - q)),
        ("log-d", torch.log(want)),
        ("ratio-overflow", r / (1 + r)),
        ("float-precision", (p32 / (p32 + q32)).double()),
    ]
    for eps in EPSILONS:
        out.append(("epsilon-in-denominator", p / (s + eps)))
        out.append(("clamped-densities", p.clamp(min=eps) / (p.clamp(min=eps) + q.clamp(min=eps))))
        out.append(("clamped-densities", (p + eps) / (s + 2 * eps)))
    for tiny in (torch.finfo(F64).tiny, torch.finfo(F32).tiny, torch.finfo(F64).eps, torch.finfo(F32).eps):
        out.append(("epsilon-in-denominator", p / s.clamp(min=tiny)))
    return out


def distance(got: torch.Tensor, other: torch.Tensor, rtol: float, atol: float) -> float:
    """max |got - other| / (atol + rtol |other|); equal infinities and nan against nan count as 0."""
    got, other = got.double(), other.double()
    same = (got == other) | (torch.isnan(got) & torch.isnan(other))
    gap = ((got - other).abs() / (atol + rtol * other.abs())).nan_to_num(nan=math.inf, posinf=math.inf)
    return float(torch.where(same, torch.zeros_like(gap), gap).max())


def name_mistake(case: Case, got: torch.Tensor, p: torch.Tensor, q: torch.Tensor, want: torch.Tensor) -> str | None:
    """The known mistake that explains got best: among the wrong D's that differ from the right
    one on this case, the nearest to got, if it is near enough (for float64 densities: to 1e-7)."""
    if len(case.x) < 3:  # too few points to tell a mistake from a coincidence
        return None
    rtol, atol = TOLERANCE[case.dtype]
    loose = (rtol * 100, atol * 100) if case.dtype == F64 else (rtol * 10, atol * 10)
    best, best_distance = None, 1.0
    for mistake, wrong in wrong_ds(p, q, want):
        if distance(wrong, want, rtol, atol) <= 1:
            continue  # this mistake does not show on these points
        d = distance(got, wrong, *loose)
        if d <= best_distance and (best is None or d < best_distance):
            best, best_distance = mistake, d
    return best or tail_signature(got, p, q, want)


def tail_signature(got: torch.Tensor, p: torch.Tensor, q: torch.Tensor, want: torch.Tensor) -> str | None:
    """Stabilizers of any size leave a signature where both densities are tiny and D is not."""
    tiny = (torch.maximum(p, q).double() < 1e-30) & (want > 0.01) & (want < 0.99)
    g = got.double()
    if not tiny.any() or not torch.isfinite(g).all():
        return None
    g, w = g[tiny], want[tiny]
    if ((g >= 0) & (g < 0.01 * w)).all():
        return "epsilon-in-denominator"
    if ((g - 0.5).abs() < 0.01).all():
        return "clamped-densities"
    return None


def pair(got: float, want: float) -> tuple[str, str]:
    """got and want printed with as many digits as it takes to tell them apart."""
    for digits in (6, 9, 12, 17):
        a, b = f"{got:.{digits}g}", f"{want:.{digits}g}"
        if a != b:
            break
    return a, b


def point(case: Case, i: int) -> str:
    v = case.x[i]
    return "(" + ", ".join(f"{c:g}" for c in v) + ")" if isinstance(v, tuple) else f"{v:g}"


def raised(error: dict[str, Any], what: str) -> Fail:
    """A Fail for an exception the student's code raised, naming the mistakes it reveals."""
    message = f"{what} raised " + format_exception(error, SOURCE)
    text = str(error.get("message", ""))
    mistake = None
    if "'function'" in text:
        mistake = "not-a-function"
    elif "converted to Python scalars" in text or "cannot be converted to Scalar" in text:
        mistake = "scalar-only"
    elif "numpy() on Tensor that requires grad" in text:
        mistake = "gradient-blocked"
    return Fail(message, mistake)


def not_a_function(observed: dict[str, Any]) -> Fail | None:
    """A Fail when the student's function did not return a callable D."""
    if "construct_error" in observed:
        return raised(observed["construct_error"], "optimal_discriminator(p_data, p_g)")
    if "returned" in observed:
        return Fail(f"optimal_discriminator(p_data, p_g) returned {expect.kind_of(observed['returned'])}, "
                    "not a function: it should return a function D that the caller then calls on points, "
                    "D = optimal_discriminator(p_data, p_g); d = D(x)", "not-a-function")
    return None


def result_of(observed: dict[str, Any], case: Case, what: str) -> torch.Tensor:
    """The tensor D(x) returned, after checking it is one, of the densities' shape and dtype."""
    fail = not_a_function(observed)
    if fail:
        raise fail
    if "error" in observed:
        raise raised(observed["error"], what)
    value = observed.get("result")
    x = case.points()
    shape, dtype = (x.shape[0],), str(case.dtype).removeprefix("torch.")
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise Fail(f"{what} returned the Python number {value!r}, not a tensor: D must return a tensor "
                   f"with one value per point (shape {shape})", "scalar-only")
    if not isinstance(value, TensorValue):
        raise Fail(f"{what} should return a tensor, but returned {expect.kind_of(value)}")
    if tuple(value.shape) != shape:
        raise Fail(f"{what} returned a tensor of shape {tuple(value.shape)}, expected {shape}: one value "
                   f"per point, the shape of the densities p_data(x) and p_g(x)")
    if value.dtype != dtype:
        mistake = "float-precision" if dtype == "float64" and value.dtype == "float32" else None
        raise Fail(f"{what} returned {value.dtype} values for {dtype} densities: keep the densities' dtype",
                   mistake)
    if value.data is None:
        raise Fail(f"{what} returned a {value.device} tensor that carries no values")
    return value.data


EXPLAIN = {
    "epsilon-in-denominator": "a stabilizer added to the denominator swamps densities this small",
    "clamped-densities": "densities this small were raised to a floor, so they look equal and D comes out 1/2",
    "float-precision": "in float32 densities this small round to 0, and 0/0 = nan",
    "ratio-overflow": "where p_g = 0 the ratio p_data/p_g is inf, and inf/inf = nan",
}


def judge_case(case: Case, observed: dict[str, Any], what: str | None = None) -> None:
    """Fail unless D returned p / (p + q) of the case's densities, to the dtype's tolerance."""
    got = result_of(observed, case, what or f"D(x) for {case.label}")
    p, q = case.densities()
    want = exact_d(p, q)
    rtol, atol = TOLERANCE[case.dtype]
    g = got.double()
    excess = ((g - want).abs() / (atol + rtol * want.abs())).nan_to_num(nan=math.inf, posinf=math.inf)
    if bool((excess <= 1).all()):
        return
    i = int(torch.argmax(excess))
    mistake = name_mistake(case, got, p, q, want)
    shown, expected = pair(float(g[i]), float(want[i]))
    message = (f"{case.label}: D(x) at x = {point(case, i)}, where p_data = {p[i]:.4g} and p_g = {q[i]:.4g}, "
               f"returned {shown}; expected p_data/(p_data + p_g) = {expected}")
    if torch.isnan(g[i]):
        message += " (D must never be nan where p_data + p_g > 0)"
    if mistake == "ratio-overflow" or (mistake in EXPLAIN and float(torch.maximum(p[i], q[i])) < 1e-30):
        message += f": {EXPLAIN[mistake]}"
    raise Fail(message, mistake)


# --- verdicts ----------------------------------------------------------------------------

@suite.check(basics, points=1, public=True)
def returns_a_function(out, ref):
    """returns a function D (a callable), not a value"""
    fail = not_a_function(out)
    if fail:
        raise fail
    if not out.get("callable"):
        raise Fail("optimal_discriminator(p_data, p_g) did not return a callable", "not-a-function")


@suite.check(basics, points=1, public=True)
def d_of_batch_has_batch_shape_and_dtype(out, ref):
    """D(x) is a tensor with one value per point, in the densities' dtype (batch 1, 2-D points, float32/64)"""
    for name, case in BASIC_CASES.items():
        got = result_of(out[name], case, f"D(x) for {case.label}")
        if torch.isnan(got).any():
            raise Fail(f"D(x) for {case.label} contains nan: {expect.preview(got, 7)}")


@suite.check(values, points=2)
def matches_p_data_over_sum(out, ref):
    """D(x) = p_data(x) / (p_data(x) + p_g(x)): worked example, Gaussians, 2-D points, zero densities"""
    for name, case in VALUE_CASES.items():
        judge_case(case, out[name])


@suite.check(tails, points=2)
def exact_far_in_the_tails(out, ref):
    """exact where the float64 densities are tiny (1e-100 down to subnormal 1e-311), never nan"""
    for name, case in TAIL_CASES.items():
        judge_case(case, out[name])


@suite.check(tails, points=1)
def exact_for_tiny_float32_densities(out, ref):
    """float32 densities (down to 1e-37) give float32 results, exact to float32 precision"""
    for name, case in FLOAT32_CASES.items():
        judge_case(case, out[name])


@suite.check(calls, points=1)
def evaluates_densities_on_every_call(out, ref):
    """D evaluates p_data and p_g on each call's points (called repeatedly, on new points, two D's at once)"""
    fail = not_a_function(out)
    if fail:
        raise fail
    earlier = []  # (what, returned values) of the calls so far
    for key, which, x, what in CALLS:
        case = Case(f"{what} with x = {list(x)}", *DENSITIES_OF[which], x)
        value = out[key].get("result")
        got = value.data if isinstance(value, TensorValue) and value.data is not None else None
        want = exact_d(*case.densities())
        if got is not None and not expect.close(got, want, 1e-9, 1e-12):
            for before_what, before in earlier:
                if before.shape == got.shape and torch.equal(before, got):
                    raise Fail(f"{what} with x = {list(x)} returned {expect.preview(got, 9)}, the very values "
                               f"that {before_what} returned; expected {expect.preview(want, 9)}: D must "
                               "evaluate p_data and p_g on the points it is given, every time it is called",
                               "evaluated-once")
        judge_case(case, out[key], case.label)
        earlier.append((f"{what} with x = {list(x)}", got))


@suite.check(gradients, points=1)
def gradients_flow_through_d(out, ref):
    """gradients of D(x) reach x and the parameters of p_g (nothing detached)"""
    fail = not_a_function(out)
    if fail:
        raise fail
    case = Case("p_data = N(3, 1), p_g = N(mu_g, 1) with mu_g = 5 a tensor that requires grad",
                normal(3), normal(5.0), GRAD_X)
    if "error" in out:
        raise raised(out["error"], "D(x) for points x that require grad")
    value = out.get("result")
    if isinstance(value, TensorValue) and not value.requires_grad:
        raise Fail("D(x) for points x that require grad does not require grad: D is cut off from the autograd "
                   "graph, so no gradient reaches x or the generator's parameters", "gradient-blocked")
    d = result_of(out, case, "D(x) for points x that require grad")
    x, w = torch.tensor(GRAD_X, dtype=F64), torch.tensor(GRAD_W, dtype=F64)
    exact = torch.sigmoid(8 - 2 * x)  # log p_data - log p_g = 8 - 2x for N(3, 1) against N(5, 1)
    if not expect.close(d, exact, 1e-4, 1e-7):  # small errors in the values are the other checks' business
        raise Fail(f"{case.label}: D(x) at x = {list(GRAD_X)} returned {expect.preview(d, 8)}, "
                   f"expected {expect.preview(exact, 8)}; the gradients can only be right once the values are")
    slope = exact * (1 - exact)
    for grad, want, name in ((out.get("x_grad"), w * slope * -2, "x"),
                             (out.get("mu_grad"), (w * slope * (5 - x)).sum(), "mu_g (a parameter of p_g)")):
        if not isinstance(grad, TensorValue) or grad.data is None:
            raise Fail(f"no gradient of D(x) reaches {name}: don't detach, don't use torch.no_grad, .item(), "
                       "numpy or torch.tensor(...) on the densities", "gradient-blocked")
        if grad.data.shape != want.shape:
            raise Fail(f"the gradient with respect to {name} has shape {tuple(grad.data.shape)}, "
                       f"expected {tuple(want.shape)}")
        expect.expect_close(grad.data, want, f"the gradient of sum(w * D(x)) with respect to {name}",
                            rtol=1e-4, atol=1e-7)


@suite.check(device, points=1)
def result_on_densities_device(out, ref):
    """works on the densities' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(out, "D(x)")
