"""Hidden checks of exercise c4, interpolate(encode, decode, x_a, x_b, steps=10).

The grader rebuilds the probes' models from the run's seed, computes the expected rows
decode(z_a + t (z_b - z_a)), t = linspace(0, 1, steps), and compares. When a result differs
it evaluates the known wrong paths (an end missing or doubled, log_var, the outputs or the
inputs blended, slerp, integer weights, ...) on the same inputs and names the one the result
equals.
"""

from __future__ import annotations

import math

import pytest
import torch

from grader.check import expect
from grader.check.expect import Mistake
from grader.check.wire import TensorValue

from .probes import CASES, DEFAULT_STEPS, EDGE_CASES, F32, F64, LATENT, PATH_CASES, Case, build, decoded, log_var_of, mean_of


class Truth:
    """What the verdicts know of a case: the models in float64 (weights as the probe had them)."""

    def __init__(self, case: Case, seed: int):
        w, x_a, x_b = build(case, seed)
        self.case, self.w = case, {k: v.to(F64) for k, v in w.items()}
        self.x_a, self.x_b = x_a.to(F64), x_b.to(F64)
        x = torch.stack([self.x_a, self.x_b])
        self.mu_a, self.mu_b = mean_of(self.w, x)
        self.lv_a, self.lv_b = log_var_of(self.w, x)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return decoded(self.w, z.reshape(-1, LATENT), self.case.shape)

    def line(self, t: torch.Tensor, a: torch.Tensor | None = None, b: torch.Tensor | None = None) -> torch.Tensor:
        a = self.mu_a if a is None else a
        b = self.mu_b if b is None else b
        return a + t.to(F64).unsqueeze(1) * (b - a)

    def path(self, t: torch.Tensor, a: torch.Tensor | None = None, b: torch.Tensor | None = None) -> torch.Tensor:
        return self.decode(self.line(t, a, b))

    def expected(self) -> torch.Tensor:
        return self.path(linspace(self.case.n))


def linspace(n: int) -> torch.Tensor:
    return torch.linspace(0, 1, n, dtype=F64)


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    omega = torch.acos(torch.clamp(torch.dot(a / a.norm(), b / b.norm()), -1, 1))
    t = t.unsqueeze(1)
    return (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / torch.sin(omega)


def same(got: torch.Tensor, want: torch.Tensor, dtype: torch.dtype) -> bool:
    # float64 results may use float32 weights t (torch.linspace(0, 1, steps).to(z)): ~1e-7 off
    tol = {"rtol": 1e-4, "atol": 1e-5} if dtype == F32 else {"rtol": 1e-5, "atol": 1e-6}
    return expect.close(got, want, **tol)


def same_points(got: torch.Tensor, want: torch.Tensor, dtype: torch.dtype) -> bool:
    """Whether the rows of got are the rows of want, in any order."""
    order = torch.cdist(want, got).argmin(1)
    return bool(order.unique().numel() == len(want)) and same(got[order], want, dtype)


def wrong_paths(truth: Truth):
    """(misconception, the result it gives, what the student sees) for each known mistake."""
    n, shape = truth.case.n, truth.case.shape
    t, want = linspace(n), truth.expected()
    arange = torch.arange(n, dtype=F64)
    blend_x = truth.x_a + t.reshape(-1, *[1] * len(shape)) * (truth.x_b - truth.x_a)
    yield ("missing-endpoint", truth.path(arange / n),
           f"your first row is decode(z_a) as expected, but your last row is not decode(z_b): row i is "
           f"decode(z_a + i/{n} (z_b - z_a)), so the path stops one step short of z_b")
    yield ("missing-endpoint", truth.path((arange + 1) / n),
           f"your last row is decode(z_b) as expected, but your first row is not decode(z_a): row i is "
           f"decode(z_a + (i+1)/{n} (z_b - z_a)), so the path starts one step after z_a")
    yield ("extra-point", truth.path(linspace(n + 1)),
           f"for steps={n} you returned {n + 1} rows: one point too many (t = 0, 1/{n}, ..., 1)")
    yield ("extra-batch-dim", want.unsqueeze(1),
           f"your result has shape {(n, 1, *shape)}, expected {(n, *shape)}: every row kept a batch "
           "dimension of size 1")
    if want.squeeze().shape != want.shape:
        yield ("squeeze-all", want.squeeze(),
               f"your result has shape {tuple(want.squeeze().shape)}, expected {(n, *shape)}: the "
               "examples' own dimension of size 1 was squeezed away too")
    yield ("reversed", want.flip(0),
           "your rows run backwards: your first row is decode(z_b) and your last is decode(z_a); "
           "row 0 must be decode(z_a), the point for x_a")
    yield ("uses-log-var", truth.path(t, truth.lv_a, truth.lv_b),
           "your rows decode points between the encoder's log-variances, not its means: "
           "encode returns (mu, log_var), and z_a, z_b are the mu's")
    yield ("interpolated-outputs", truth.decode(truth.mu_a) + t.reshape(-1, *[1] * len(shape)) * (
        truth.decode(truth.mu_b) - truth.decode(truth.mu_a)),
           "your rows are straight-line blends of the outputs decode(z_a) and decode(z_b); the decoder "
           "is nonlinear, so these are not decodes of the points between z_a and z_b")
    yield ("interpolated-inputs", truth.decode(mean_of(truth.w, blend_x)),
           "your rows decode encode((1 - t) x_a + t x_b): you blended the inputs and encoded the blends; "
           "the encoder is nonlinear, so these codes are not on the line from z_a to z_b")
    yield ("slerp", truth.decode(slerp(truth.mu_a, truth.mu_b, t)),
           "your ends are right, but the middle rows decode points on the arc between z_a and z_b "
           "(spherical interpolation, slerp), not on the straight line")
    yield ("integer-steps", truth.path(torch.div(arange, n - 1, rounding_mode="floor")),
           "every row but the last is decode(z_a): your weights t came out as 0, 0, ..., 0, 1, "
           "the integers left by integer division")


def refused(out: dict, i: int) -> None:
    report = out.get(f"misuse{i}")
    if report is not None:
        raise Mistake(report.get("mistake"), f"with {CASES[i]}: {report.get('message')}")


def result(out: dict, i: int) -> torch.Tensor:
    """The student's result for case i as float64 values (any shape); fails if there is none."""
    refused(out, i)
    value = out.get(f"out{i}")
    return expect.tensor(value, f"with {CASES[i]}, your result").to(F64)


def decoded_latents(out: dict, i: int) -> torch.Tensor | None:
    batches = [v.data for v in out.get(f"decoded{i}") or [] if isinstance(v, TensorValue) and v.data is not None]
    if not batches:
        return None
    return torch.cat([b.reshape(-1, LATENT).to(F64) for b in batches])


def encoded_others(out: dict, i: int, truth: Truth) -> bool:
    """Whether encode saw an example that is neither x_a nor x_b."""
    ends = torch.stack([truth.x_a, truth.x_b]).flatten(1)
    for v in out.get(f"encoded{i}") or []:
        if isinstance(v, TensorValue) and v.data is not None and v.data.numel() % ends.shape[1] == 0:
            rows = v.data.to(F64).reshape(-1, ends.shape[1])
            if (torch.cdist(rows, ends).amin(1) > 1e-4).any():
                return True
    return False


def sampled(out: dict) -> bool:
    first, again = out.get("out0"), out.get("again0")
    if not (isinstance(first, TensorValue) and isinstance(again, TensorValue)):
        return False
    if first.data is None or again.data is None or first.shape != again.shape:
        return False
    return not torch.equal(first.data, again.data)


SAMPLED = ("two calls with the same encoder, decoder, x_a and x_b returned different results: "
           "your path is random, so it starts from samples of q(z|x) rather than from the means")


def fail_path(out: dict, i: int, got: torch.Tensor, seed: int) -> None:
    """Explain why `got` is not the expected path of case i, naming the mistake if known."""
    truth, case = Truth(CASES[i], seed), CASES[i]
    want, n = truth.expected(), case.n
    for mistake, wrong, message in wrong_paths(truth):
        if same(got, wrong, case.dtype):
            raise Mistake(mistake, f"with {case}: {message}")
    if sampled(out):
        raise Mistake("sampled-latent", f"with {case}: {SAMPLED}")
    if got.shape != want.shape:
        shape_fail(case, tuple(got.shape))
    t = linspace(n)
    row = int((got - want).flatten(1).abs().amax(1).argmax())
    latents, line = decoded_latents(out, i), truth.line(t)
    detail, mistake = "", None
    if encoded_others(out, i, truth):
        mistake = "interpolated-inputs"
        detail = (" encode was called on examples other than x_a and x_b: encode only those two, and "
                  "interpolate between their means.")
    elif latents is not None and latents.shape == line.shape and same_points(latents, line, case.dtype):
        detail = (" You passed decode the right latents, so your rows were changed or reordered after "
                  "decoding: return decode's outputs as they are, one row per point, from t = 0 to t = 1.")
    elif latents is not None and latents.shape == line.shape:
        j = int((latents - line).abs().amax(1).argmax())
        detail = (f" The latent you decoded for row {j} is {expect.preview(latents[j])}, but the point "
                  f"z_a + t (z_b - z_a) at t = {t[j]:.4g} is {expect.preview(line[j])}, with z_a, z_b "
                  "the means encode returns for x_a, x_b.")
    elif latents is not None:
        detail = f" decode was given {len(latents)} latents in all; {n} points were expected."
    raise Mistake(mistake, f"with {case}, row {row} (t = {t[row]:.4g}) of your result is {expect.preview(got[row])}, "
               f"expected decode(z_a + t (z_b - z_a)) = {expect.preview(want[row])}.{detail}")


def shape_fail(case: Case, got: tuple[int, ...]) -> None:
    """Fail for a result of the wrong shape, naming the mistake a known wrong shape shows."""
    n, shape = case.n, case.shape
    squeezed = tuple(s for s in (n, *shape) if s != 1)
    known = {
        (n + 1, *shape): ("extra-point", f"for steps={n} you returned {n + 1} rows: one point too many"),
        (n - 1, *shape): ("missing-endpoint", f"for steps={n} you returned {n - 1} rows: one end of the path "
                                               "is missing"),
        (n, 1, *shape): ("extra-batch-dim", f"your result has shape {(n, 1, *shape)}, expected {(n, *shape)}: "
                                            "every row kept a batch dimension of size 1"),
    }
    if squeezed != (n, *shape):
        known[squeezed] = ("squeeze-all", f"your result has shape {squeezed}, expected {(n, *shape)}: the "
                                          "examples' own dimension of size 1 was squeezed away too")
    if got in known:
        mistake, message = known[got]
        raise Mistake(mistake, f"with {case}: {message}")
    if case.steps is None and got[1:] == shape:
        raise Mistake(None, f"called without `steps`, your function returned {got[0]} rows, expected "
                   f"{DEFAULT_STEPS}: keep the stub's default steps={DEFAULT_STEPS}")
    raise Mistake(None, f"with {case}, your result has shape {got}, expected {(n, *shape)} "
               "(steps rows, each shaped like x_a)")


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_steps_examples(paths):
    """returns a tensor of shape (steps, *x_a.shape) in x_a's dtype (1-D and image-like, float32/64)"""
    for i, case in enumerate(CASES):
        got = result(paths, i)
        want_shape = (case.n, *case.shape)
        if tuple(got.shape) != want_shape:
            shape_fail(case, tuple(got.shape))
        expect.tensor(paths[f"out{i}"], f"with {case}, your result", dtype=str(case.dtype)[6:])
        if not torch.isfinite(got).all():
            raise Mistake(None, f"with {case}, your result contains nan or inf: {expect.preview(got)}")


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_inputs_unchanged(paths, seed):
    """leaves x_a and x_b unchanged"""
    for i, case in enumerate(CASES):
        result(paths, i)  # a function that returns nothing leaves its inputs alone for no credit
        _, x_a, x_b = build(case, seed)
        expect.unchanged(x_a, paths.get(f"x_a{i}"), "x_a")
        expect.unchanged(x_b, paths.get(f"x_b{i}"), "x_b")


@pytest.mark.points(2)
def test_starts_at_x_a_and_ends_at_x_b(paths, seed):
    """the first row is decode(z_a) and the last is decode(z_b), with z_a, z_b the encoder means"""
    for i, case in enumerate(CASES):
        got, truth, n = result(paths, i), Truth(case, seed), case.n
        d = math.prod(case.shape)
        if got.dim() == 0 or got.numel() != got.shape[0] * d:
            raise Mistake(None, f"with {case}, your result has shape {tuple(got.shape)}: its rows are not shaped "
                       f"like x_a {case.shape}")
        rows = got.reshape(got.shape[0], d)

        def at(t: float, a=None, b=None) -> torch.Tensor:
            return truth.path(torch.tensor([t], dtype=F64), a, b).flatten()

        first, last = rows[0], rows[-1]
        start, end = at(0.0), at(1.0)
        first_ok, last_ok = same(first, start, case.dtype), same(last, end, case.dtype)
        if first_ok and last_ok:
            continue
        if sampled(paths):
            raise Mistake("sampled-latent", f"with {case}: {SAMPLED}")
        if same(first, end, case.dtype) and same(last, start, case.dtype):
            raise Mistake("reversed", f"with {case}, your first row is decode(z_b) and your last row is decode(z_a): "
                       "the path runs from x_b to x_a")
        if same(first, at(0.0, truth.lv_a, truth.lv_b), case.dtype) or same(last, at(1.0, truth.lv_a, truth.lv_b), case.dtype):
            raise Mistake("uses-log-var", f"with {case}, your end rows are decode(log_var) of x_a and x_b, not decode(mu): "
                       "encode returns (mu, log_var), in that order")
        if first_ok and same(last, at((n - 1) / n), case.dtype):
            raise Mistake("missing-endpoint", f"with {case}, your first row is decode(z_a) as expected, but your last row is not "
                       f"decode(z_b): it is the point at t = {n - 1}/{n}, so the path stops one step short")
        if last_ok and same(first, at(1 / n), case.dtype):
            raise Mistake("missing-endpoint", f"with {case}, your last row is decode(z_b) as expected, but your first row is not "
                       f"decode(z_a): it is the point at t = 1/{n}, so the path starts one step late")
        which, got_row, want_row = ("first", first, start) if not first_ok else ("last", last, end)
        name = "z_a" if which == "first" else "z_b"
        raise Mistake(None, f"with {case}, your {which} row is {expect.preview(got_row)}, expected decode({name}) = "
                   f"{expect.preview(want_row)}, with {name} the mean that encode returns for "
                   f"x_{name[-1]} (the first item of its (mu, log_var))")


def check_paths(out: dict, cases: tuple[int, ...], seed: int) -> None:
    for i in cases:
        got, case = result(out, i), CASES[i]
        if not same(got, Truth(case, seed).expected(), case.dtype):
            fail_path(out, i, got, seed)


@pytest.mark.points(3)
def test_evenly_spaced_on_the_line(paths, seed):
    """row i decodes z_a + t_i (z_b - z_a), t = 0, 1/(steps-1), ..., 1 (steps 7 and 5)"""
    check_paths(paths, PATH_CASES, seed)


@pytest.mark.points(1)
def test_default_steps_and_two_steps(paths, seed):
    """works when called without steps (10 points) and with steps=2 (the two ends only)"""
    check_paths(paths, EDGE_CASES, seed)


@pytest.mark.points(1)
def test_same_inputs_same_path(paths):
    """is deterministic: the same inputs give the same path (the means are used, not samples)"""
    result(paths, 0)
    if sampled(paths):
        raise Mistake("sampled-latent", SAMPLED)


def device_verdict(observed: dict) -> None:
    """expect.device_verdict, after naming a model's refusal of what the student passed it."""
    result = observed.get("result")
    if isinstance(result, dict) and isinstance(result.get("misuse"), dict):
        raise Mistake(result["misuse"].get("mistake"), result["misuse"].get("message", ""))
    expect.device_verdict(observed, "your result")


@pytest.mark.points(1)
def test_works_on_the_inputs_device(device):
    """works on the models' device (no tensors hard-coded to the CPU)"""
    device_verdict(device)
