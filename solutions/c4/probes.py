"""Probes of exercise c4, interpolate(encode, decode, x_a, x_b, steps=10): they run in the
student's isolated process.

The student's function gets a small encoder/decoder pair built from the run's seed, as plain
functions or as nn.Modules, in float32 and float64, for 1-D and (C, H, W) examples:

* the encoder is nonlinear (so encoding the blend of x_a and x_b is not the blend of the
  codes) and its log_var is unlike its mu (so using log_var shows);
* the decoder is nonlinear (so blending decode(z_a) and decode(z_b) is not decoding the
  blended latents);
* both refuse what a real model would refuse (no batch dimension, another dtype, another
  device) with a clear error (`misuse`), and record the batches they are called with.
"""

from __future__ import annotations

import math
import traceback
from dataclasses import dataclass

import torch

from grader.sandbox.probing import probe, run_on_device, seeded

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


def build(case: Case, seed: int) -> tuple[dict[str, torch.Tensor], torch.Tensor, torch.Tensor]:
    """The weights of the encoder and decoder, and x_a, x_b, in the case's dtype, for the run's seed."""
    g = seeded(seed + 100 + case.seed)
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


def misuse(message: str, mistake: str | None = None) -> ValueError:
    """The error the models raise when called the way no real model accepts: a plain
    ValueError (what the student sees), tagged with the misconception it shows, if any."""
    error = ValueError(message)
    error.mistake = mistake  # type: ignore[attr-defined]
    return error


class Pair:
    """The encoder and decoder handed to the student; they record the batches they get."""

    def __init__(self, case: Case, seed: int, move=lambda t: t):
        w, x_a, x_b = build(case, seed)
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


def call(interpolate, case: Case, seed: int, move=lambda t: t):
    pair = Pair(case, seed, move)
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


@probe
def paths(interpolate, seed):
    out = {}
    for i, case in enumerate(CASES):
        try:
            pair, result = call(interpolate, case, seed)
        except (ValueError, RuntimeError) as exc:
            out[f"misuse{i}"] = misuse_report(exc)
            continue
        out[f"out{i}"], out[f"x_a{i}"], out[f"x_b{i}"] = result, pair.x_a, pair.x_b
        out[f"encoded{i}"], out[f"decoded{i}"] = pair.encoded, pair.decoded
    if "out0" in out:
        out["again0"] = call(interpolate, CASES[0], seed)[1]
    return out


@probe
def device(interpolate, seed):
    def run(move):
        try:
            return call(interpolate, DEVICE_CASE, seed, move)[1]
        except ValueError as exc:
            if getattr(exc, "mistake", None):
                return {"misuse": misuse_report(exc)}
            raise
    return run_on_device(run)
