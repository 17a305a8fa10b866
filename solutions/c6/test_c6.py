"""Hidden checks of exercise c6, optimal_discriminator(p_data, p_g).

The grader rebuilds the probes' densities on the same run-seeded points and computes the
expected D exactly, as the fraction p / (p + q) of those floating-point numbers
(fractions.Fraction, rounded once), so nothing here depends on the reference solution and
every correct formula passes: p/(p+q), 1/(1+q/p), sigmoid(log p - log q), exp(log p -
logaddexp(log p, log q)), softmax of the log-densities, with or without torch.where guards.

When D's values are wrong, known wrong D's are evaluated on the same densities, in their
dtype (a stabilizer's size is fitted to the student's values), and a mistake is named only
when its formula gives the student's values in every wrong case of the check, and no other
mistake's does; values D returned earlier for other points, returned again, name
evaluated-once. One owner per fact: the public checks own 'D is a function' and 'D(x) is a
tensor with one value per point in the densities' dtype'; the others are not judged until
those hold, and gradients are judged only once D's values are right. Batch sizes are drawn from
the run's seed; the device is judged only once D's values on the device are right.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest
import torch

from grader.check import expect
from grader.check.expect import mistake
from grader.check.judge import format_exception
from grader.check.wire import TensorValue

from .probes import (DENSITIES_OF, F32, F64, Case, basic_cases, calls_of, device_points, float32_cases, gradient_points,
                     normal,
                     tail_cases, triangle, uniform, value_cases)

SOURCE = "optimal_discriminator.py"
TOLERANCE = {F64: (1e-9, 1e-12), F32: (1e-4, 1e-6)}  # (rtol, atol): loose enough for every correct formula
# The formula's checks (the worked example, repeated calls) leave precision to the tails' checks, which
# own it: a stabilizer of 1e-8, or a float32 detour, is judged there once, not in every check. Every
# wrong formula is off by far more than this.
FORMULA = {F64: (1e-4, 1e-12), F32: (1e-4, 1e-6)}
MATCH = {F64: (1e-10, 1e-13), F32: (2e-5, 1e-7)}  # how closely a known wrong formula must give the student's values
STABILIZER = 1e-3  # the largest constant taken for a stabilizer (larger ones are no longer 'small')
NOT_A_FUNCTION = ("optimal_discriminator(p_data, p_g) does not return a function D yet (the first check says "
                  "why); this is judged once it does")
NOT_VALUES = ("D(x) does not return its values as a tensor yet (the public check on D(x) says why); this is "
              "judged once it does")


def exact_d(p: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """p / (p + q) of the given floating-point numbers, exactly, rounded once to float64."""
    values = []
    for a, b in zip(p.double().tolist(), q.double().tolist()):
        fa, fb = Fraction(a), Fraction(b)
        values.append(float(fa / (fa + fb)))
    return torch.tensor(values, dtype=F64)


# --- known mistakes -----------------------------------------------------------------------------

def wrong_ds(got: torch.Tensor, p: torch.Tensor, q: torch.Tensor) -> dict[str, list[torch.Tensor]]:
    """What each known mistake returns for these densities, computed in their dtype (inf and nan kept)."""
    s, r = p + q, p / q
    p32, q32 = p.float(), q.float()
    known = {
        "inverted": [q / s],
        "ratio-not-normalized": [r],
        "one-minus-ratio": [1 - q / p],
        "half-everywhere": [torch.full_like(p, 0.5)],
        "sigmoid-of-difference": [torch.sigmoid(p - q)],
        "log-d": [torch.log(p) - torch.log(s), torch.log(p / s)],
        "ratio-overflow": [r / (1 + r)],
        "float-precision": [(f32 / (f32 + g32)).to(p.dtype) for f32, g32 in ((p32, q32), (1.0, q32 / p32))]
        + [(p32 / s.float()).to(p.dtype), torch.sigmoid(torch.log(p32) - torch.log(q32)).to(p.dtype)],
    }
    return {**known, **stabilized(got, p, q)}


def stabilized(got: torch.Tensor, p: torch.Tensor, q: torch.Tensor) -> dict[str, list[torch.Tensor]]:
    """Formulas with a small constant c added or used as a floor, c fitted to the student's values.

    Each point gives the c at which a formula returns the student's value there; every such c
    (0 < c <= STABILIZER) is tried on all points. The rows where a formula gives got at every
    point are kept (none when none does)."""
    g, p, q = got.double(), p.double(), q.double()
    s = p + q
    candidates = torch.cat([p / g - s, p / g, g * q / (1 - g), p * (1 - g) / g, (p - g * s) / (2 * g - 1)])
    c = candidates[torch.isfinite(candidates) & (candidates > 0) & (candidates <= STABILIZER)].unique()[:, None]
    if len(c) == 0:
        return {}
    floor_p, floor_q = torch.maximum(p, c), torch.maximum(q, c)
    forms = {"epsilon-in-denominator": [p / (s + c), p / torch.maximum(s, c)],
             "clamped-densities": [floor_p / (floor_p + floor_q), (p + c) / (s + 2 * c)]}
    fitted = {}
    for key, options in forms.items():
        rows = torch.cat(options)
        fits = (gaps(got, rows, *MATCH[got.dtype]) <= 1).nonzero()
        fitted[key] = [rows[int(fits[0, 0])].to(got.dtype)] if len(fits) else []
    return fitted


def gaps(got: torch.Tensor, other: torch.Tensor, rtol: float, atol: float) -> torch.Tensor:
    """max |got - other| / (atol + rtol |other|) over the last dim (other may hold rows of
    candidates); equal infinities and nan against nan count as 0."""
    got, other = got.double(), other.double()
    same = (got == other) | (torch.isnan(got) & torch.isnan(other))
    gap = ((got - other).abs() / (atol + rtol * other.abs())).nan_to_num(nan=math.inf, posinf=math.inf)
    return torch.where(same, torch.zeros_like(gap), gap).amax(-1)


def distance(got: torch.Tensor, other: torch.Tensor, rtol: float, atol: float) -> float:
    return float(gaps(got, other, rtol, atol))


def matching(case: Case, got: torch.Tensor, p: torch.Tensor, q: torch.Tensor, want: torch.Tensor,
             earlier: list[torch.Tensor], tolerance: dict) -> set[str]:
    """The known mistakes whose formula gives got on this case, among those that show on it."""
    rtol, atol = tolerance[case.dtype]
    found = {key for key, formulas in wrong_ds(got, p, q).items()
             if any(distance(f, want, rtol, atol) > 1 and distance(got, f, *MATCH[case.dtype]) <= 1 for f in formulas)}
    if any(repeated(got, e) for e in earlier):
        found.add("evaluated-once")
    return found


def repeated(got: torch.Tensor, before: torch.Tensor) -> bool:
    return before.shape == got.shape and before.dtype == got.dtype and bool(torch.equal(before, got))


# --- reading what D returned --------------------------------------------------------------------

def known_error(error: dict[str, Any]) -> str | None:
    """The mistake an exception's message shows, if any."""
    text = str(error.get("message", ""))
    if "'function'" in text:
        return "not-a-function"
    if "converted to Python scalars" in text or "cannot be converted to Scalar" in text:
        return "scalar-only"
    if "numpy() on Tensor that requires grad" in text:
        return "gradient-blocked"
    return None


def raised(error: dict[str, Any], what: str) -> None:
    """For an exception the student's code raised: a failure naming the mistake it shows, or,
    when it shows none, outcome 'error' (the report groups the checks it blocked)."""
    known = known_error(error)
    if known:
        mistake(known, f"{what} raised " + format_exception(error, SOURCE))
    expect.returned({"error": error})


def made_a_function(observed: dict[str, Any], owner: bool = False) -> None:
    """Whether optimal_discriminator returned a callable: the first check names what it did
    instead (`owner`); other checks are not judged, or show the exception it raised."""
    error = observed.get("construct_error")
    if error is not None and (owner or not known_error(error)):
        raised(error, "optimal_discriminator(p_data, p_g)")
    if error is not None:
        expect.not_judged(NOT_A_FUNCTION)
    if "returned" in observed:
        if owner:
            mistake("not-a-function", f"optimal_discriminator(p_data, p_g) returned {expect.kind_of(observed['returned'])}, "
                    "not a function: it should return a function D that the caller then calls on points, "
                    "D = optimal_discriminator(p_data, p_g); d = D(x)")
        expect.not_judged(NOT_A_FUNCTION)


def d_values(observed: dict[str, Any], case: Case, what: str, earlier: list[torch.Tensor] = ()) -> torch.Tensor:
    """D(x) as returned, once it is a tensor with one value per point in the densities' dtype;
    else not judged (the public check owns that). A known exception is the owner's to report."""
    made_a_function(observed)
    if "error" in observed and known_error(observed["error"]) in ("not-a-function", "scalar-only"):
        expect.not_judged(NOT_VALUES)
    value = expect.returned(observed)
    shape = (len(case.x),)
    data = expect.reading(value, shape)  # (N, 1), a list of values: read as the N values they are
    raw = value.data if isinstance(value, TensorValue) else None
    if raw is not None and tuple(raw.shape) != shape and any(repeated(raw, e) for e in earlier):
        mistake("evaluated-once", f"{what} with {len(case.x)} points returned {expect.preview(raw, 9)}, the very "
                "values D returned earlier for other points: D must evaluate p_data and p_g on the points it is "
                "given, every time it is called")
    if data is None or (isinstance(value, TensorValue) and data.dtype != case.dtype):
        expect.not_judged(f"{what} returned {expect.kind_of(value)}; its values are judged once D returns a "
                          f"tensor of shape {shape} in the densities' dtype ({str(case.dtype)[6:]})")
    return data


def right_results(observed: dict[str, Any], cases: dict[str, Case]) -> list[torch.Tensor]:
    """The tensors D returned in a probe that were right for their own points (for evaluated-once)."""
    out = []
    for name, case in cases.items():
        value = observed.get(name, {}).get("result") if isinstance(observed.get(name), dict) else None
        if isinstance(value, TensorValue) and value.data is not None and value.data.shape == (len(case.x),):
            if within(value.data, exact_d(*case.densities()), case.dtype):
                out.append(value.data)
    return out


def within(got: torch.Tensor, want: torch.Tensor, dtype: torch.dtype, tolerance: dict = TOLERANCE) -> bool:
    return distance(got, want, *tolerance[dtype]) <= 1


# --- judging values -----------------------------------------------------------------------------

EXPLAIN = {
    "epsilon-in-denominator": "a stabilizer added to the denominator swamps densities this small",
    "clamped-densities": "densities this small were raised to a floor, so they look equal and D comes out 1/2",
    "float-precision": "in float32 densities this small round to 0, and 0/0 = nan",
    "ratio-overflow": "where p_g = 0 the ratio p_data/p_g is inf, and inf/inf = nan",
}


def judge(cases: list[tuple[Case, dict[str, Any], str]], earlier: list[torch.Tensor],
          tolerance: dict = TOLERANCE) -> None:
    """Fail unless D returned p / (p + q) of each case's densities, to the dtype's `tolerance`; name
    a mistake only when it alone explains every wrong case."""
    wrong, named = [], None
    for case, observed, what in cases:
        got = d_values(observed, case, what, earlier)
        p, q = case.densities()
        want = exact_d(p, q)
        if within(got, want, case.dtype, tolerance):
            earlier.append(got)
            continue
        found = matching(case, got, p, q, want, earlier, tolerance) if len(case.x) >= 3 else None  # 1 point: a coincidence
        named = found if named is None else (named & found if found is not None else named)
        wrong.append((case, what, got, p, q, want))
    if not wrong:
        return
    diagnosis = next(iter(named)) if named is not None and len(named) == 1 else None
    case, what, got, p, q, want = wrong[0]
    rtol, atol = tolerance[case.dtype]
    g = got.double()
    excess = ((g - want).abs() / (atol + rtol * want.abs())).nan_to_num(nan=math.inf, posinf=math.inf)
    i = int(torch.argmax(excess))
    shown, expected = pair(float(g[i]), float(want[i]))
    message = (f"{what}: D(x) at x = {point(case, i)}, where p_data = {p[i]:.4g} and p_g = {q[i]:.4g}, "
               f"returned {shown}; expected p_data/(p_data + p_g) = {expected}")
    if torch.isnan(g[i]):
        message += " (D must never be nan where p_data + p_g > 0)"
    if diagnosis == "evaluated-once":
        message += ": these are the very values D returned earlier for other points"
    elif diagnosis == "ratio-overflow" or (diagnosis in EXPLAIN and float(torch.maximum(p[i], q[i])) < 1e-30):
        message += f": {EXPLAIN[diagnosis]}"
    mistake(diagnosis, message)


def pair(got: float, want: float) -> tuple[str, str]:
    """got and want printed with as many digits as it takes to tell them apart."""
    for digits in (6, 9, 12, 17):
        a, b = f"{got:.{digits}g}", f"{want:.{digits}g}"
        if a != b:
            break
    return a, b


def point(case: Case, i: int) -> str:
    v = case.x[i]
    return "(" + ", ".join(f"{c:.4g}" for c in v) + ")" if isinstance(v, tuple) else f"{v:.6g}"


def labelled(observed: dict[str, Any], cases: dict[str, Case]) -> list[tuple[Case, dict[str, Any], str]]:
    return [(case, observed[name], case.label) for name, case in cases.items()]


# --- the checks ---------------------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_function(basics):
    """returns a function D (a callable), not a value"""
    made_a_function(basics, owner=True)


@pytest.mark.public
@pytest.mark.points(1)
def test_d_of_batch_has_batch_shape_and_dtype(basics, seed):
    """D(x) is a tensor with one value per point, in the densities' dtype (batch 1, 2-D points, float32/64)"""
    made_a_function(basics)
    for name, case in basic_cases(seed).items():
        observed, what = basics[name], f"D(x) for {case.label}"
        if "error" in observed:
            raised(observed["error"], what)
        value, shape, dtype = observed.get("result"), (len(case.x),), str(case.dtype)[6:]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            mistake("scalar-only", f"{what} returned the Python number {value!r}, not a tensor: D must return a "
                    f"tensor with one value per point (shape {shape})")
        if not isinstance(value, TensorValue):
            mistake(None, f"{what} should return a tensor, but returned {expect.kind_of(value)}")
        if value.shape != shape:
            mistake(None, f"{what} returned a tensor of shape {value.shape}, expected {shape}: one value per point, "
                    "the shape of the densities p_data(x) and p_g(x)")
        if value.dtype != dtype:
            lower = dtype == "float64" and value.dtype == "float32"
            mistake("float-precision" if lower else None,
                    f"{what} returned {value.dtype} values for {dtype} densities: keep the densities' dtype")
        got = expect.tensor(value, what)
        if torch.isnan(got).any():
            mistake(None, f"{what} contains nan: {expect.preview(got, 7)}")


@pytest.mark.points(2)
def test_matches_p_data_over_sum(values, basics, seed):
    """D(x) = p_data(x) / (p_data(x) + p_g(x)): worked example, Gaussians, 2-D points, zero densities"""
    judge(labelled(values, value_cases(seed)), right_results(basics, basic_cases(seed)), FORMULA)


@pytest.mark.points(2)
def test_exact_far_in_the_tails(tails, basics, values, seed):
    """exact where the float64 densities are tiny (1e-100 down to subnormal 1e-311), never nan"""
    earlier = right_results(basics, basic_cases(seed)) + right_results(values, value_cases(seed))
    judge(labelled(tails, tail_cases(seed)), earlier)


@pytest.mark.points(1)
def test_exact_for_tiny_float32_densities(tails, basics, seed):
    """float32 densities (down to 1e-37) give float32 results, exact to float32 precision"""
    judge(labelled(tails, float32_cases(seed)), right_results(basics, basic_cases(seed)))


@pytest.mark.points(1)
def test_evaluates_densities_on_every_call(calls, seed, request):
    """D evaluates p_data and p_g on each call's points (called repeatedly, on new points, two D's at once)"""
    made_a_function(calls)
    cases = [(Case(f"{what} with x = [{', '.join(f'{v:.4g}' for v in x)}]", *DENSITIES_OF[which], x), calls[key],
              f"{what} with x = [{', '.join(f'{v:.4g}' for v in x)}]") for key, which, x, what in calls_of(seed)]
    judge(cases, results_before_calls(request, seed), FORMULA)


def results_before_calls(request, seed) -> list[torch.Tensor]:
    """The right values D returned in the probes that ran before `calls`: the batch sizes are drawn
    from the seed, so a value kept from any of them may come back for points of the same shape."""
    earlier = []
    for probe, cases in (("basics", basic_cases(seed)), ("values", value_cases(seed)),
                         ("tails", {**tail_cases(seed), **float32_cases(seed)})):
        try:
            observed = request.getfixturevalue(probe)
        except Exception:  # noqa: BLE001 - that probe did not run: it returned nothing to repeat
            continue
        earlier += right_results(observed, cases)
    return earlier


@pytest.mark.points(1)
def test_gradients_flow_through_d(gradients, seed):
    """gradients of D(x) reach x and the parameters of p_g (nothing detached)"""
    made_a_function(gradients)
    what = "D(x) for points x that require grad"
    if "error" in gradients and known_error(gradients["error"]) == "gradient-blocked":
        raised(gradients["error"], what)
    x, w = gradient_points(seed)
    case = Case("p_data = N(3, 1), p_g = N(mu_g, 1) with mu_g = 5 a tensor that requires grad", normal(3),
                normal(5.0), tuple(x.tolist()))
    d = d_values(gradients, case, what)
    exact = torch.sigmoid(8 - 2 * x)  # log p_data - log p_g = 8 - 2x for N(3, 1) against N(5, 1)
    if not expect.close(d, exact, 1e-4, 1e-7):  # the values are the other checks' business
        expect.not_judged("D's values are not p_data / (p_data + p_g) yet; the gradients are judged once they are")
    if not gradients["result"].requires_grad:
        mistake("gradient-blocked", f"{what} does not require grad: D is cut off from the autograd graph, so no "
                "gradient reaches x or the generator's parameters")
    slope = exact * (1 - exact)
    for grad, want, name in ((gradients.get("x_grad"), w * slope * -2, "x"),
                             (gradients.get("mu_grad"), (w * slope * (5 - x)).sum(), "mu_g (a parameter of p_g)")):
        if not isinstance(grad, TensorValue) or grad.data is None:
            mistake("gradient-blocked", f"no gradient of D(x) reaches {name}: don't detach, don't use torch.no_grad, "
                    ".item(), numpy or torch.tensor(...) on the densities")
        if grad.data.shape != want.shape or not expect.close(grad.data, want, 1e-4, 1e-7):
            mistake(None, f"the gradient of sum(w * D(x)) with respect to {name} is {expect.preview(grad.data)}, "
                    f"expected {expect.preview(want)}")


@pytest.mark.points(1)
def test_result_on_densities_device(basics, device, seed):
    """works on the densities' device (no tensors hard-coded to the CPU)"""
    case = basic_cases(seed)["batch5"]
    d_values(basics["batch5"], case, f"D(x) for {case.label}")  # judged once D works on the CPU
    if "error" in device and known_error(device["error"]) in ("not-a-function", "scalar-only"):
        expect.not_judged(NOT_VALUES)
    x = device_points(seed)
    got = expect.reading(device.get("values"), tuple(x.shape))
    if got is None or not within(got, exact_d(normal(3)(x), normal(5)(x)), F64, FORMULA):
        expect.not_judged("D's values on the device are not p_data / (p_data + p_g) yet (see the value checks); their "
                          "device is judged once they are")
    expect.device_verdict(device, "D(x)")
