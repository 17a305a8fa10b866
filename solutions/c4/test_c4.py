"""Hidden checks of exercise c4, interpolate(encode, decode, x_a, x_b, steps=10).

The grader rebuilds the probes' models from the run's seed, computes the expected rows
decode(z_a + t (z_b - z_a)), t = linspace(0, 1, steps), and compares. When rows differ it
evaluates the known wrong paths (an end missing, the path reversed, log_var, the outputs or
the inputs blended, slerp, integer weights) on the same inputs, and names a mistake only
when its path gives the student's rows in every wrong case.

One owner per fact: the public shape check owns the result's type, shape and dtype, and the
models' refusals of how they were called (no batch dimension, another dtype); the other
checks are 'not judged' until those are right. A result with one reading as the rows (a list of
rows, extra size-1 dims) is judged on that reading: only the shape check fails. A random path is named by the determinism
check only, and code written for flat latents by the spatial-latents check only (when it
gets every flat case right).

Shapes, steps and latent sizes are drawn from the run's seed. What the grader judges itself, not
trusting the student's process: a second call on the same models and tensors must return the same
rows (for a path that is not random), and the device is judged only for right rows.
"""

from __future__ import annotations

from typing import Any

import pytest
import torch

from grader.check import expect
from grader.check.expect import Mistake, mistake
from grader.check.judge import format_exception
from grader.check.wire import TensorValue

from .probes import (DEFAULT_STEPS, DEVICE_CASE, EDGE_CASES, F32, F64, MODEL_DTYPE, NO_BATCH, PATH_CASES, Case, build,
                     cases, decoded, log_var_of, mean_of, spatial_cases)

SOURCE = "interpolate.py"
REFUSED = ("encode or decode refused how your function called it (the first check says why); "
           "this is judged once the models accept your calls")
RANDOM = ("two calls with the same models and examples returned different paths; the path is judged once "
          "it is deterministic (the check 'is deterministic' says more)")


class Truth:
    """What the verdicts know of a case: the models in float64 (weights as the probe had them)."""

    def __init__(self, case: Case, seed: int):
        w, x_a, x_b = build(case, seed)
        self.case, self.w = case, {k: v.to(F64) for k, v in w.items()}
        self.x_a, self.x_b = x_a.to(F64), x_b.to(F64)
        x = torch.stack([self.x_a, self.x_b])
        self.mu_a, self.mu_b = mean_of(self.w, x, case.latent)
        self.lv_a, self.lv_b = log_var_of(self.w, x, case.latent)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return decoded(self.w, z.reshape(-1, *self.case.latent), self.case.shape)

    def line(self, t: torch.Tensor, a: torch.Tensor | None = None, b: torch.Tensor | None = None) -> torch.Tensor:
        a = self.mu_a if a is None else a
        b = self.mu_b if b is None else b
        return a + t.to(F64).reshape(-1, *[1] * a.dim()) * (b - a)

    def path(self, t: torch.Tensor, a: torch.Tensor | None = None, b: torch.Tensor | None = None) -> torch.Tensor:
        return self.decode(self.line(t, a, b))

    def expected(self) -> torch.Tensor:
        return self.path(linspace(self.case.n))


def linspace(n: int) -> torch.Tensor:
    return torch.linspace(0, 1, n, dtype=F64)


def slerp(a: torch.Tensor, b: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    a, b = a.flatten(), b.flatten()
    omega = torch.acos(torch.clamp(torch.dot(a / a.norm(), b / b.norm()), -1, 1))
    t = t.unsqueeze(1)
    return (torch.sin((1 - t) * omega) * a + torch.sin(t * omega) * b) / torch.sin(omega)


def tolerance(dtype: torch.dtype) -> dict[str, float]:
    # float64 results may use float32 weights t (torch.linspace(0, 1, steps).to(z)): ~1e-7 off
    return {"rtol": 1e-4, "atol": 1e-5} if dtype == F32 else {"rtol": 1e-5, "atol": 1e-6}


def same(got: torch.Tensor, want: torch.Tensor, dtype: torch.dtype) -> bool:
    return expect.close(got, want, **tolerance(dtype))


def wrong_paths(truth: Truth) -> dict[str, list[tuple[torch.Tensor, str]]]:
    """Each known mistake that keeps the result's shape: the rows its formulas give, and what
    the student sees when their rows are those."""
    n = truth.case.n
    t, want = linspace(n), truth.expected()
    arange = torch.arange(n, dtype=F64)
    blend_x = truth.x_a + t.reshape(-1, *[1] * truth.x_a.dim()) * (truth.x_b - truth.x_a)
    fade = truth.decode(truth.mu_a) + t.reshape(-1, *[1] * truth.x_a.dim()) * (
        truth.decode(truth.mu_b) - truth.decode(truth.mu_a))
    return {
        "missing-endpoint": [
            (truth.path(arange / n), f"your first row is decode(z_a) as expected, but your last row is "
             f"decode(z_a + {n - 1}/{n} (z_b - z_a)), not decode(z_b): the path stops one step short of z_b"),
            (truth.path((arange + 1) / n), f"your last row is decode(z_b) as expected, but your first row is "
             f"decode(z_a + 1/{n} (z_b - z_a)), not decode(z_a): the path starts one step after z_a")],
        "reversed": [(want.flip(0), "your rows run backwards: your first row is decode(z_b) and your last is "
                      "decode(z_a); row 0 must be decode(z_a), the point for x_a")],
        "uses-log-var": [(truth.path(t, truth.lv_a, truth.lv_b), "your rows decode points between the encoder's "
                          "log-variances, not its means: encode returns (mu, log_var), and z_a, z_b are the mu's")],
        "interpolated-outputs": [(fade, "your rows are straight-line blends of the outputs decode(z_a) and "
                                  "decode(z_b); the decoder is nonlinear, so these are not decodes of the points "
                                  "between z_a and z_b")],
        "interpolated-inputs": [(truth.decode(mean_of(truth.w, blend_x, truth.case.latent)),
                                 "your rows decode encode((1 - t) x_a + t x_b): you blended the inputs and encoded "
                                 "the blends; the encoder is nonlinear, so these codes are not on the line from "
                                 "z_a to z_b")],
        "slerp": [(truth.decode(slerp(truth.mu_a, truth.mu_b, t)), "your ends are right, but the middle rows "
                   "decode points on the arc between z_a and z_b (spherical interpolation, slerp), not on the "
                   "straight line")],
        "integer-steps": [(truth.path(torch.div(arange, n - 1, rounding_mode="floor")),
                           "every row but the last is decode(z_a): your weights t came out as 0, 0, ..., 0, 1, "
                           "the integers left by integer division")],
    }


# --- reading what the student's function returned ---------------------------------------------

def refusal(error: dict) -> str | None:
    """The known mistake a model's refusal (or a dtype clash in the student's code) shows, if any."""
    message = str(error.get("message", ""))
    if error.get("type") == "ValueError" and NO_BATCH in message:
        return "no-batch-dim"
    if error.get("type") == "ValueError" and MODEL_DTYPE in message:
        return "wrong-dtype"
    if error.get("type") == "RuntimeError" and error.get("frames") and ("dtype" in message or "scalar type" in message):
        return "wrong-dtype"
    return None


def returned(entry: dict, case, owner: bool = False):
    """What the call returned. A refusal that names a mistake is the public check's to report
    (`owner`); other checks are not judged. Any other exception: outcome 'error'."""
    if "error" in entry:
        known = refusal(entry["error"])
        if known and owner:
            mistake(known, f"with {case}, your function raised " + format_exception(entry["error"], SOURCE))
        if known:
            expect.not_judged(REFUSED)
    return expect.returned(entry)


def path_of(out: dict, key: str, case: Case) -> torch.Tensor:
    """The result as float64 rows, once it is a tensor of shape (steps, *x_a.shape); else not judged."""
    value = returned(out[key], case)
    want = (case.n, *case.shape)
    rows = expect.reading(value, want)  # a list of rows, extra size-1 dims: read as the rows they are
    if rows is None:
        expect.not_judged(f"with {case}, your function returned {expect.kind_of(value)}; the rows are judged "
                          f"once it returns a tensor of shape {want}")
    return rows.to(F64)


def decoded_latents(batches: Any, case: Case) -> torch.Tensor | None:
    """Every latent decode was given, in order, as float64 (None when there were none)."""
    got = [v.data for v in batches or [] if isinstance(v, TensorValue) and v.data is not None]
    if not got or any(b.numel() % max(1, torch.Size(case.latent).numel()) for b in got):
        return None
    return torch.cat([b.reshape(-1, *case.latent).to(F64) for b in got])


def random_path(paths: dict) -> bool:
    """Whether two calls with the same inputs (case 0) returned different tensors of one shape."""
    first, again = paths["case0"].get("result"), paths["again"].get("result")
    if not (isinstance(first, TensorValue) and isinstance(again, TensorValue)):
        return False
    if first.data is None or again.data is None or first.shape != again.shape:
        return False
    return not torch.equal(first.data, again.data)


def off_the_line(latents: torch.Tensor, truth: Truth) -> bool:
    """Whether some latent lies off the straight line through z_a and z_b."""
    a, b = truth.mu_a.flatten(), truth.mu_b.flatten()
    rows = latents.flatten(1) - a
    direction = (b - a) / (b - a).norm()
    residual = rows - (rows @ direction).unsqueeze(1) * direction
    return bool((residual.norm(dim=1) > 1e-3 * (1 + a.norm())).any())


def blended_inputs(batches: Any, truth: Truth) -> bool:
    """Whether encode saw examples other than x_a and x_b, all of them on the line through the two."""
    ends = torch.stack([truth.x_a, truth.x_b]).flatten(1)
    rows = [v.data.to(F64).reshape(-1, ends.shape[1]) for v in batches or []
            if isinstance(v, TensorValue) and v.data is not None and v.data.numel() % ends.shape[1] == 0]
    if not rows:
        return False
    rows = torch.cat(rows)
    others = rows[torch.cdist(rows, ends).amin(1) > 1e-4]
    if len(others) == 0:
        return False
    a, d = ends[0], ends[1] - ends[0]
    s = ((others - a) @ d) / (d @ d)
    return bool(((others - a - s.unsqueeze(1) * d).norm(dim=1) < 1e-3 * (1 + a.norm())).all())


# --- judging the rows ---------------------------------------------------------------------------

def judge_rows(out: dict, cases: list[Case], indices, seed: int, rows: list[int] | None = None,
               paths: dict | None = None) -> None:
    """Fail unless rows `rows` (all when None) of each case's result are the expected ones; name a
    mistake only when one known wrong path gives the student's rows in every wrong case."""
    wrong = []
    for i in indices:
        case = cases[i]
        got, truth = path_of(out, f"case{i}", case), Truth(case, seed)
        pick = slice(None) if rows is None else rows
        if not same(got[pick], truth.expected()[pick], case.dtype):
            wrong.append((i, got, truth))
    if not wrong:
        return
    if random_path(paths if paths is not None else out):
        expect.not_judged(RANDOM)
    evidence, messages = [], {}
    for i, got, truth in wrong:
        known = {}
        for key, options in wrong_paths(truth).items():
            formula, message = min(options, key=lambda o: gap(got, o[0]))
            known[key] = formula if rows is None else formula[rows]
            messages.setdefault(key, message)
        evidence.append((got if rows is None else got[rows], known))
    named = expect.explained_by(evidence, **tolerance(F32))
    i, got, truth = wrong[0]
    case = cases[i]
    if named is None and all(blended_inputs(out.get(f"encoded{j}"), truth_) for j, _, truth_ in wrong):
        named = "interpolated-inputs"
    if named is not None:
        mistake(named, f"with {case}: {messages[named]}")
    if rows is not None:
        ends_message(case, got, truth)
    row_message(out, i, case, got, truth)


def gap(got: torch.Tensor, wrong: torch.Tensor) -> float:
    return float((got - wrong).abs().max()) if got.shape == wrong.shape else float("inf")


def ends_message(case: Case, got: torch.Tensor, truth: Truth) -> None:
    want = truth.expected()
    first_ok = same(got[0], want[0], case.dtype)
    which, k, name = ("first", 0, "z_a") if not first_ok else ("last", -1, "z_b")
    mistake(None, f"with {case}, your {which} row is {expect.preview(got[k])}, expected decode({name}) = "
            f"{expect.preview(want[k])}, with {name} the mean that encode returns for x_{name[-1]} (the first "
            "item of its (mu, log_var))")


def row_message(out: dict, i: int, case: Case, got: torch.Tensor, truth: Truth) -> None:
    """Say which row differs, and what decode was given, with no guess at the cause."""
    want, t = truth.expected(), linspace(case.n)
    row = int((got - want).flatten(1).abs().amax(1).argmax())
    latents, line = decoded_latents(out.get(f"decoded{i}"), case), truth.line(t)
    detail = ""
    if latents is not None and latents.shape == line.shape:
        order = torch.cdist(line.flatten(1), latents.flatten(1)).argmin(1)
        if order.unique().numel() == len(line) and same(latents[order], line, case.dtype):
            detail = (" You passed decode the right latents, so your rows were changed or reordered after "
                      "decoding: return decode's outputs as they are, one row per point, from t = 0 to t = 1.")
        else:
            j = int((latents - line).flatten(1).abs().amax(1).argmax())
            detail = (f" The latent you decoded for row {j} is {expect.preview(latents[j])}, but the point "
                      f"z_a + t (z_b - z_a) at t = {t[j]:.4g} is {expect.preview(line[j])}, with z_a, z_b "
                      "the means encode returns for x_a, x_b.")
    elif latents is not None:
        detail = f" decode was given {len(latents)} latents in all; {case.n} points were expected."
    mistake(None, f"with {case}, row {row} (t = {t[row]:.4g}) of your result is {expect.preview(got[row])}, "
            f"expected decode(z_a + t (z_b - z_a)) = {expect.preview(want[row])}.{detail}")


def shape_fail(case, got: tuple[int, ...]) -> None:
    """Fail for a result of the wrong shape, naming the mistake a known wrong shape shows."""
    n, shape = case.n, case.shape
    squeezed = tuple(s for s in (n, *shape) if s != 1)
    known = {
        (n + 1, *shape): ("extra-point", f"for steps={n} you returned {n + 1} rows: one point too many"),
        (n, 1, *shape): ("extra-batch-dim", f"your result has shape {(n, 1, *shape)}, expected {(n, *shape)}: "
                                            "every row kept a batch dimension of size 1"),
    }
    if squeezed != (n, *shape):
        known[squeezed] = ("squeeze-all", f"your result has shape {squeezed}, expected {(n, *shape)}: the "
                                          "examples' own dimension of size 1 was squeezed away too")
    if got in known:
        key, message = known[got]
        mistake(key, f"with {case}: {message}")
    if case.steps is None and got[1:] == shape:
        mistake(None, f"called without `steps`, your function returned {got[0]} rows, expected "
                f"{DEFAULT_STEPS}: keep the stub's default steps={DEFAULT_STEPS}")
    mistake(None, f"with {case}, your result has shape {got}, expected {(n, *shape)} "
            "(steps rows, each shaped like x_a)")


# --- the checks ---------------------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_steps_examples(paths, seed):
    """returns a tensor of shape (steps, *x_a.shape) in x_a's dtype (1-D and image-like, float32/64)"""
    for i, case in enumerate(cases(seed)):
        value = returned(paths[f"case{i}"], case, owner=True)
        if value is None:
            mistake("no-return", f"with {case}, your function returned None: end it with `return` and the "
                    "decoded rows")
        if not isinstance(value, TensorValue):
            mistake(None, f"with {case}, your function returned {expect.kind_of(value)}, expected a tensor")
        if value.shape != (case.n, *case.shape):
            shape_fail(case, value.shape)
        dtype = str(case.dtype)[6:]
        if value.dtype != dtype:
            mistake(None, f"with {case}, your result has dtype {value.dtype}, expected {dtype}, the dtype of "
                    "x_a and of the models")
        got = expect.tensor(value, f"with {case}, your result")
        if not torch.isfinite(got).all():
            mistake(None, f"with {case}, your result contains nan or inf: {expect.preview(got)}")


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_inputs_unchanged(paths, seed):
    """leaves x_a and x_b unchanged"""
    for i, case in enumerate(cases(seed)):
        value = returned(paths[f"case{i}"], case)
        if not isinstance(value, TensorValue) and expect.reading(value, (case.n, *case.shape)) is None:
            expect.not_judged(f"your function returned {expect.kind_of(value)}, not a tensor")  # no points for nothing
        _, x_a, x_b = build(case, seed)
        x_a_after, x_b_after = paths[f"inputs{i}"]
        expect.unchanged(x_a, x_a_after, "x_a")
        expect.unchanged(x_b, x_b_after, "x_b")
        changed_by_a_call(paths, i, case)


def changed_by_a_call(paths: dict, i: int, case: Case) -> None:
    """For a deterministic path, right or not, a second call on the same models, x_a and x_b must return
    the same rows: judged here, whatever bytes are sent back (a random path is another check's)."""
    first = expect.reading(paths[f"case{i}"].get("result"), (case.n, *case.shape))
    if first is None or random_path(paths):
        return
    second = paths[f"second{i}"]
    again = expect.reading(second.get("result"), (case.n, *case.shape))
    if again is None or not torch.equal(first, again):
        what = f"raised {format_exception(second['error'], SOURCE)}" if "error" in second else "returned other rows"
        mistake("modifies-input", f"with {case}, a second call with the same models, x_a and x_b {what}: the first "
                "call changed x_a or x_b in place (unsqueeze_, mul_, +=); compute new tensors so the caller's stay "
                "as they were")


@pytest.mark.points(1)
def test_starts_at_x_a_and_ends_at_x_b(paths, seed):
    """the first row is decode(z_a) and the last is decode(z_b), with z_a, z_b the encoder means"""
    judge_rows(paths, cases(seed), range(len(cases(seed))), seed, rows=[0, -1])


@pytest.mark.points(3)
def test_evenly_spaced_on_the_line(paths, seed):
    """row i decodes z_a + t_i (z_b - z_a), t = 0, 1/(steps-1), ..., 1 (odd and even steps)"""
    judge_rows(paths, cases(seed), PATH_CASES, seed)


@pytest.mark.points(1)
def test_default_steps_and_two_steps(paths, seed):
    """works when called without steps (10 points) and with steps=2 (the two ends only)"""
    judge_rows(paths, cases(seed), EDGE_CASES, seed)


@pytest.mark.points(1)
def test_spatial_latents(paths, spatial, seed):
    """works for spatial latents (n, C, h, w), as a latent diffusion model's VAE has, not only (n, latent_dim)"""
    flat_right = True
    for i, case in enumerate(cases(seed)):
        flat_right &= same(path_of(paths, f"case{i}", case), Truth(case, seed).expected(), case.dtype)
    for j, case in enumerate(spatial_cases(seed)):
        entry = spatial[f"case{j}"]
        if "error" in entry and flat_right:
            mistake("flat-latents-only", f"with {case}, your function raised "
                    + format_exception(entry["error"], SOURCE) + "\nEvery case with flat latents (n, latent_dim) "
                    "is right, so it is the latents' shape that your code does not handle")
        value = expect.returned(entry)
        if flat_right and expect.reading(value, (case.n, *case.shape)) is None:
            mistake(None, f"with {case}, your function returned {expect.kind_of(value)}, expected a tensor of "
                    f"shape {(case.n, *case.shape)}, as it does for flat latents")
    judge_rows(spatial, spatial_cases(seed), range(2), seed, paths=paths)


@pytest.mark.points(1)
def test_same_inputs_same_path(paths, seed):
    """is deterministic: the same inputs give the same path (the means are used, not samples)"""
    case = cases(seed)[0]
    path_of(paths, "case0", case)
    path_of(paths, "again", case)
    if not random_path(paths):
        return
    truth = Truth(case, seed)
    first, again = (decoded_latents(paths.get(key), case) for key in ("decoded0", "again_decoded"))
    message = (f"with {case}, two calls with the same models, x_a and x_b returned different paths "
               f"(row 0: {expect.preview(paths['case0']['result'].data[0])}, then "
               f"{expect.preview(paths['again']['result'].data[0])}): your path is random")
    if (first is not None and again is not None and first.shape == again.shape and not torch.equal(first, again)
            and off_the_line(first, truth) and off_the_line(again, truth)):
        mistake("sampled-latent", message + ", and the latents you decoded lie off the line through the means "
                "z_a and z_b: they start from samples of q(z|x) rather than from the means")
    mistake(None, message + "; the same inputs must give the same rows")


@pytest.mark.points(1)
def test_works_on_the_inputs_device(paths, device, seed):
    """works on the models' device (no tensors hard-coded to the CPU)"""
    path_of(paths, "case0", cases(seed)[0])  # judged once it works on the CPU
    if "error" in device and refusal(device["error"]):
        expect.not_judged(REFUSED)
    rows = expect.reading(device.get("values"), (DEVICE_CASE.n, *DEVICE_CASE.shape))
    if rows is None or not same(rows.to(F64), Truth(DEVICE_CASE, seed).expected(), DEVICE_CASE.dtype):
        expect.not_judged("the rows on the device are not the expected ones yet (see the path checks); their device "
                          "is judged once they are")
    expect.device_verdict(device, "your result")
