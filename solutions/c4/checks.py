"""Hidden checks of exercise c4, interpolate(encode, decode, x_a, x_b, steps=10).

The probes hand the student's function a small seeded encoder/decoder pair, as plain
functions or as nn.Modules, in float32 and float64, for 1-D and (C, H, W) examples:

* the encoder is nonlinear (so encoding the blend of x_a and x_b is not the blend of the
  codes) and its log_var is unlike its mu (so using log_var shows);
* the decoder is nonlinear (so blending decode(z_a) and decode(z_b) is not decoding the
  blended latents);
* both refuse what a real model would refuse (no batch dimension, another dtype, another
  device) with a clear error, and record the batches they are called with.

The verdicts rebuild the same models from the seeds, compute the expected rows
decode(z_a + t (z_b - z_a)), t = linspace(0, 1, steps), and compare. When a result
differs they evaluate the known wrong paths (an end missing or doubled, log_var, the
outputs or the inputs blended, slerp, integer weights, ...) on the same inputs and name
the one the result equals.

Helpers kept here rather than in grader/: `misuse` and `Pair` (the models handed to the
student), `misuse_report` (turns the models' refusals into observations that a verdict
can name), `device_verdict` (names a model's refusal before expect.device_verdict).
"""

from __future__ import annotations

import math
import traceback
from dataclasses import dataclass

import torch

from grader.check import expect
from grader.sandbox.device_spy import run_on_device
from grader.sandbox.probing import seeded
from grader.check.suite import Fail, Suite
from grader.check.wire import TensorValue

suite = Suite(function="interpolate")
F32, F64 = torch.float32, torch.float64
LATENT = 3
DEFAULT_STEPS = 10


@dataclass(frozen=True)
class Case:
    shape: tuple[int, ...]
    dtype: torch.dtype
    steps: int | None  # None: called without `steps`, so the default applies
    module: bool  # encoder and decoder are nn.Modules (else plain functions)
    seed: int

    @property
    def n(self) -> int:
        return DEFAULT_STEPS if self.steps is None else self.steps

    def __str__(self) -> str:
        steps = "steps left at its default" if self.steps is None else f"steps={self.steps}"
        return f"examples of shape {self.shape} ({str(self.dtype)[6:]}), {steps}"


CASES = [
    Case((6,), F64, 7, False, 1),
    Case((1, 3, 4), F32, 5, True, 2),
    Case((3, 2, 2), F64, None, True, 3),
    Case((5,), F32, 2, False, 4),
]
PATH_CASES = (0, 1)  # the general path: odd and even steps, 1-D and image-like
EDGE_CASES = (2, 3)  # the default steps=10, and steps=2 (both ends only)
DEVICE_CASE = Case((2, 2, 3), F32, 4, True, 5)


# --- the models, shared by probes and verdicts -----------------------------------------

def build(case: Case) -> tuple[dict[str, torch.Tensor], torch.Tensor, torch.Tensor]:
    """The weights of the encoder and decoder, and x_a, x_b, in the case's dtype."""
    g = seeded(100 + case.seed)
    d = math.prod(case.shape)

    def draw(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g, dtype=F64)

    w = {"W": draw(d, LATENT) * (1.2 / math.sqrt(d)), "b": 0.3 * draw(LATENT),
         "V": draw(d, LATENT) / math.sqrt(d), "c": 0.3 * draw(LATENT),
         "A": 0.9 * draw(LATENT, d), "e": 0.2 * draw(d)}
    x_a, x_b = draw(*case.shape), draw(*case.shape)
    return {k: v.to(case.dtype) for k, v in w.items()}, x_a.to(case.dtype), x_b.to(case.dtype)


def mean_of(w: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    return 1.5 * torch.tanh(x.flatten(1) @ w["W"] + w["b"])


def log_var_of(w: dict[str, torch.Tensor], x: torch.Tensor) -> torch.Tensor:
    return torch.tanh(x.flatten(1) @ w["V"] + w["c"]) - 1


def decoded(w: dict[str, torch.Tensor], z: torch.Tensor, shape: tuple[int, ...]) -> torch.Tensor:
    return torch.tanh(z @ w["A"] + w["e"]).reshape(len(z), *shape)


# --- probes: run in the student's process ----------------------------------------------

def misuse(message: str, mistake: str | None = None) -> ValueError:
    """The error the models raise when called the way no real model accepts: a plain
    ValueError (what the student sees), tagged with the misconception it shows, if any."""
    error = ValueError(message)
    error.mistake = mistake  # type: ignore[attr-defined]
    return error


class Pair:
    """The encoder and decoder handed to the student; they record the batches they get."""

    def __init__(self, case: Case, move=lambda t: t):
        w, x_a, x_b = build(case)
        w, x_a, x_b = {k: move(v) for k, v in w.items()}, move(x_a), move(x_b)
        self.device = x_a.device  # where the inputs live (grader.sandbox.device_spy moves them)
        if case.module:
            w = {k: torch.nn.Parameter(v) for k, v in w.items()}
        self.case, self.w, self.x_a, self.x_b = case, w, x_a, x_b
        self.encoded: list[torch.Tensor] = []
        self.decoded: list[torch.Tensor] = []

    def encode(self, x):
        self._expect(x, self.case.shape, "encode", "x_a.unsqueeze(0)")
        self.encoded.append(x.detach().clone())
        return mean_of(self.w, x), log_var_of(self.w, x)

    def decode(self, z):
        self._expect(z, (LATENT,), "decode", "z.unsqueeze(0)")
        self.decoded.append(z.detach().clone())
        return decoded(self.w, z, self.case.shape)

    def _expect(self, x, shape: tuple[int, ...], who: str, fix: str) -> None:
        if not isinstance(x, torch.Tensor):
            raise misuse(f"{who} expects a tensor, got {type(x).__name__}")
        if tuple(x.shape) == shape:
            raise misuse(f"{who} expects a batch: add a batch dimension, e.g. {fix}", "no-batch-dim")
        if x.dim() != len(shape) + 1 or tuple(x.shape[1:]) != shape:
            raise misuse(f"{who} expects a batch of shape (n, {', '.join(map(str, shape))}), "
                         f"got shape {tuple(x.shape)}")
        device = self.device
        if x.device != device:
            raise misuse(f"{who} expects a tensor on the same device as the model ({device}), got one on {x.device}")
        if x.dtype != self.case.dtype:
            raise misuse(f"{who} expects {str(self.case.dtype)[6:]} tensors (the model's dtype), got "
                         f"{str(x.dtype)[6:]}", "wrong-dtype")

    def models(self):
        if not self.case.module:
            return self.encode, self.decode
        return Wrapped(self.encode, self.w, ("W", "b", "V", "c")), Wrapped(self.decode, self.w, ("A", "e"))


class Wrapped(torch.nn.Module):
    """An nn.Module around one of Pair's functions, holding the weights it uses."""

    def __init__(self, fn, w: dict[str, torch.Tensor], names: tuple[str, ...]):
        super().__init__()
        self.fn = fn
        for name in names:
            self.register_parameter(name, w[name])

    def forward(self, x):
        return self.fn(x)


def call(interpolate, case: Case, move=lambda t: t):
    pair = Pair(case, move)
    encode, decode = pair.models()
    if case.steps is None:
        return pair, interpolate(encode, decode, pair.x_a, pair.x_b)
    return pair, interpolate(encode, decode, pair.x_a, pair.x_b, case.steps)


def misuse_report(exc: BaseException) -> dict:
    """A refusal the verdict can name, or a re-raise (the grader then shows the traceback)."""
    message = str(exc)
    if getattr(exc, "mistake", None):
        mistake = exc.mistake
    elif type(exc) is RuntimeError and "dtype" in message:
        mistake = "wrong-dtype"
    else:
        raise exc
    from grader.sandbox.child import student_frames, where  # probes run in the sandbox

    return {"mistake": mistake, "message": message + where(student_frames(traceback.extract_tb(exc.__traceback__)))}


@suite.probe
def paths(interpolate):
    out = {}
    for i, case in enumerate(CASES):
        try:
            pair, result = call(interpolate, case)
        except (ValueError, RuntimeError) as exc:
            out[f"misuse{i}"] = misuse_report(exc)
            continue
        out[f"out{i}"], out[f"x_a{i}"], out[f"x_b{i}"] = result, pair.x_a, pair.x_b
        out[f"encoded{i}"], out[f"decoded{i}"] = pair.encoded, pair.decoded
    if "out0" in out:
        out["again0"] = call(interpolate, CASES[0])[1]
    return out


@suite.probe
def device(interpolate):
    def run(move):
        try:
            return call(interpolate, DEVICE_CASE, move)[1]
        except ValueError as exc:
            if getattr(exc, "mistake", None):
                return {"misuse": misuse_report(exc)}
            raise
    return run_on_device(run)


# --- verdicts: run in the grader's process ---------------------------------------------

class Truth:
    """What the verdicts know of a case: the models in float64 (weights as the probe had them)."""

    def __init__(self, case: Case):
        w, x_a, x_b = build(case)
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
        raise Fail(f"with {CASES[i]}: {report.get('message')}", report.get("mistake"))


def result(out: dict, i: int) -> torch.Tensor:
    """The student's result for case i as float64 values (any shape); Fail if there is none."""
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


def fail_path(out: dict, i: int, got: torch.Tensor) -> None:
    """Explain why `got` is not the expected path of case i, naming the mistake if known."""
    truth, case = Truth(CASES[i]), CASES[i]
    want, n = truth.expected(), case.n
    for mistake, wrong, message in wrong_paths(truth):
        if same(got, wrong, case.dtype):
            raise Fail(f"with {case}: {message}", mistake)
    if sampled(out):
        raise Fail(f"with {case}: {SAMPLED}", "sampled-latent")
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
    raise Fail(f"with {case}, row {row} (t = {t[row]:.4g}) of your result is {expect.preview(got[row])}, "
               f"expected decode(z_a + t (z_b - z_a)) = {expect.preview(want[row])}.{detail}", mistake)


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
        raise Fail(f"with {case}: {message}", mistake)
    if case.steps is None and got[1:] == shape:
        raise Fail(f"called without `steps`, your function returned {got[0]} rows, expected "
                   f"{DEFAULT_STEPS}: keep the stub's default steps={DEFAULT_STEPS}")
    raise Fail(f"with {case}, your result has shape {got}, expected {(n, *shape)} "
               "(steps rows, each shaped like x_a)")


@suite.check(paths, points=1, public=True)
def returns_steps_examples(out, ref):
    """returns a tensor of shape (steps, *x_a.shape) in x_a's dtype (1-D and image-like, float32/64)"""
    for i, case in enumerate(CASES):
        got = result(out, i)
        want_shape = (case.n, *case.shape)
        if tuple(got.shape) != want_shape:
            shape_fail(case, tuple(got.shape))
        expect.tensor(out[f"out{i}"], f"with {case}, your result", dtype=str(case.dtype)[6:])
        if not torch.isfinite(got).all():
            raise Fail(f"with {case}, your result contains nan or inf: {expect.preview(got)}")


@suite.check(paths, points=1, public=True)
def leaves_inputs_unchanged(out, ref):
    """leaves x_a and x_b unchanged"""
    for i, case in enumerate(CASES):
        result(out, i)  # a function that returns nothing leaves its inputs alone for no credit
        _, x_a, x_b = build(case)
        expect.unchanged(x_a, out.get(f"x_a{i}"), "x_a")
        expect.unchanged(x_b, out.get(f"x_b{i}"), "x_b")


@suite.check(paths, points=2)
def starts_at_x_a_and_ends_at_x_b(out, ref):
    """the first row is decode(z_a) and the last is decode(z_b), with z_a, z_b the encoder means"""
    for i, case in enumerate(CASES):
        got, truth, n = result(out, i), Truth(case), case.n
        d = math.prod(case.shape)
        if got.dim() == 0 or got.numel() != got.shape[0] * d:
            raise Fail(f"with {case}, your result has shape {tuple(got.shape)}: its rows are not shaped "
                       f"like x_a {case.shape}")
        rows = got.reshape(got.shape[0], d)

        def at(t: float, a=None, b=None) -> torch.Tensor:
            return truth.path(torch.tensor([t], dtype=F64), a, b).flatten()

        first, last = rows[0], rows[-1]
        start, end = at(0.0), at(1.0)
        first_ok, last_ok = same(first, start, case.dtype), same(last, end, case.dtype)
        if first_ok and last_ok:
            continue
        if sampled(out):
            raise Fail(f"with {case}: {SAMPLED}", "sampled-latent")
        if same(first, end, case.dtype) and same(last, start, case.dtype):
            raise Fail(f"with {case}, your first row is decode(z_b) and your last row is decode(z_a): "
                       "the path runs from x_b to x_a", "reversed")
        if same(first, at(0.0, truth.lv_a, truth.lv_b), case.dtype) or same(last, at(1.0, truth.lv_a, truth.lv_b), case.dtype):
            raise Fail(f"with {case}, your end rows are decode(log_var) of x_a and x_b, not decode(mu): "
                       "encode returns (mu, log_var), in that order", "uses-log-var")
        if first_ok and same(last, at((n - 1) / n), case.dtype):
            raise Fail(f"with {case}, your first row is decode(z_a) as expected, but your last row is not "
                       f"decode(z_b): it is the point at t = {n - 1}/{n}, so the path stops one step short",
                       "missing-endpoint")
        if last_ok and same(first, at(1 / n), case.dtype):
            raise Fail(f"with {case}, your last row is decode(z_b) as expected, but your first row is not "
                       f"decode(z_a): it is the point at t = 1/{n}, so the path starts one step late",
                       "missing-endpoint")
        which, got_row, want_row = ("first", first, start) if not first_ok else ("last", last, end)
        name = "z_a" if which == "first" else "z_b"
        raise Fail(f"with {case}, your {which} row is {expect.preview(got_row)}, expected decode({name}) = "
                   f"{expect.preview(want_row)}, with {name} the mean that encode returns for "
                   f"x_{name[-1]} (the first item of its (mu, log_var))")


def check_paths(out: dict, cases: tuple[int, ...]) -> None:
    for i in cases:
        got, case = result(out, i), CASES[i]
        if not same(got, Truth(case).expected(), case.dtype):
            fail_path(out, i, got)


@suite.check(paths, points=3)
def evenly_spaced_on_the_line(out, ref):
    """row i decodes z_a + t_i (z_b - z_a), t = 0, 1/(steps-1), ..., 1 (steps 7 and 5)"""
    check_paths(out, PATH_CASES)


@suite.check(paths, points=1)
def default_steps_and_two_steps(out, ref):
    """works when called without steps (10 points) and with steps=2 (the two ends only)"""
    check_paths(out, EDGE_CASES)


@suite.check(paths, points=1)
def same_inputs_same_path(out, ref):
    """is deterministic: the same inputs give the same path (the means are used, not samples)"""
    result(out, 0)
    if sampled(out):
        raise Fail(SAMPLED, "sampled-latent")


def device_verdict(observed: dict) -> None:
    """expect.device_verdict, after naming a model's refusal of what the student passed it."""
    result = observed.get("result")
    if isinstance(result, dict) and isinstance(result.get("misuse"), dict):
        raise Fail(result["misuse"].get("message", ""), result["misuse"].get("mistake"))
    expect.device_verdict(observed, "your result")


@suite.check(device, points=1)
def works_on_the_inputs_device(out, ref):
    """works on the models' device (no tensors hard-coded to the CPU)"""
    device_verdict(out)
