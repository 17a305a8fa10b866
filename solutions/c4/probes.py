"""Probes of exercise c4, interpolate(encode, decode, x_a, x_b, steps=10): they run in the
student's isolated process.

The student's function gets a small encoder/decoder pair built from the run's seed, as plain
functions or as nn.Modules, in float32 and float64, for 1-D and (C, H, W) examples, with flat
latents (n, latent_dim) and spatial ones (n, C, h, w), as a latent diffusion model's VAE has:

* the encoder is nonlinear (so encoding the blend of x_a and x_b is not the blend of the
  codes) and its log_var is unlike its mu (so using log_var shows);
* the decoder is nonlinear (so blending decode(z_a) and decode(z_b) is not decoding the
  blended latents);
* both refuse what a real model would refuse (no batch dimension, another dtype, another
  device, a batch of the wrong shape) with a clear ValueError, and record the batches they get.

Each call is `capture`d: its result, or the error it raised with the student's own lines.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch

from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded, twice

F32, F64 = torch.float32, torch.float64
FLAT = (3,)
DEFAULT_STEPS = 10
# How the models word a refusal that shows a known mistake (the checks recognise them by it).
NO_BATCH = "expects a batch: add a batch dimension"
MODEL_DTYPE = "tensors (the model's dtype)"


@dataclass(frozen=True)
class Case:
    shape: tuple[int, ...]  # one example's shape
    dtype: torch.dtype
    steps: int | None  # None: called without `steps`, so the default applies
    module: bool  # encoder and decoder are nn.Modules (else plain functions)
    seed: int
    latent: tuple[int, ...] = FLAT  # one latent's shape: flat (latent_dim,) or spatial (C, h, w)

    @property
    def n(self) -> int:
        return DEFAULT_STEPS if self.steps is None else self.steps

    def __str__(self) -> str:
        steps = "steps left at its default" if self.steps is None else f"steps={self.steps}"
        latents = "" if len(self.latent) == 1 else f", latents of shape (n, {', '.join(map(str, self.latent))})"
        return f"examples of shape {self.shape} ({str(self.dtype)[6:]}){latents}, {steps}"


PATH_CASES = (0, 1)  # the general path: odd and even steps, 1-D and image-like
EDGE_CASES = (2, 3)  # the default steps=10, and steps=2 (both ends only)


def cases(seed: int) -> list[Case]:
    """Flat latents; sizes, steps and the latent dim drawn from the run's seed: 1-D with odd steps, an
    image with a leading size-1 dim and even steps, (C, H, H) with the default steps, 1-D with steps=2."""
    d0, half0, h1, w1, half1, c2, h2, d3, k = draw_shape(seed + 60, (7, 10), (2, 4), (2, 4), (3, 5), (2, 4), (2, 4),
                                                         (2, 3), (3, 7), (2, 5))
    return [Case((d0,), F64, 2 * half0 + 1, False, 1, (k,)), Case((1, h1, w1), F32, 2 * half1, True, 2, (k,)),
            Case((c2, h2, h2), F64, None, True, 3, (k,)), Case((d3,), F32, 2, False, 4, (k,))]


def spatial_cases(seed: int) -> list[Case]:
    """Spatial latents, sizes drawn from the run's seed. Their second-to-last size is neither 1, 2 nor
    the case's steps, so weights of shape (steps, 1), or a product with a (steps, 2) matrix, cannot
    broadcast by accident."""
    c, h, steps, lc, lh, lw, d, a, b = draw_shape(seed + 61, (2, 4), (3, 5), (4, 7), (2, 3), (3, 6), (3, 6), (4, 7),
                                                  (3, 6), (2, 4))
    return [Case((c, h, h), F32, steps, True, 6, (lc, lh if lh != steps else lh + 1, lw)),
            Case((d,), F64, None, False, 7, (a, b))]


DEVICE_CASE = Case((2, 2, 3), F32, 4, True, 5)


def build(case: Case, seed: int) -> tuple[dict[str, torch.Tensor], torch.Tensor, torch.Tensor]:
    """The weights of the encoder and decoder, and x_a, x_b, in the case's dtype, for the run's seed."""
    g = seeded(seed + 100 + case.seed)
    d, k = math.prod(case.shape), math.prod(case.latent)

    def draw(*shape: int) -> torch.Tensor:
        return torch.randn(*shape, generator=g, dtype=F64)

    w = {"W": draw(d, k) * (1.2 / math.sqrt(d)), "b": 0.3 * draw(k),
         "V": draw(d, k) / math.sqrt(d), "c": 0.3 * draw(k),
         "A": 0.9 * draw(k, d) / math.sqrt(k / 3), "e": 0.2 * draw(d)}
    x_a, x_b = draw(*case.shape), draw(*case.shape)
    return {k: v.to(case.dtype) for k, v in w.items()}, x_a.to(case.dtype), x_b.to(case.dtype)


def mean_of(w: dict[str, torch.Tensor], x: torch.Tensor, latent: tuple[int, ...]) -> torch.Tensor:
    return (1.5 * torch.tanh(x.flatten(1) @ w["W"] + w["b"])).reshape(len(x), *latent)


def log_var_of(w: dict[str, torch.Tensor], x: torch.Tensor, latent: tuple[int, ...]) -> torch.Tensor:
    return (torch.tanh(x.flatten(1) @ w["V"] + w["c"]) - 1).reshape(len(x), *latent)


def decoded(w: dict[str, torch.Tensor], z: torch.Tensor, shape: tuple[int, ...]) -> torch.Tensor:
    return torch.tanh(z.flatten(1) @ w["A"] + w["e"]).reshape(len(z), *shape)


class Pair:
    """The encoder and decoder handed to the student; they record the batches they get."""

    def __init__(self, case: Case, seed: int, move=lambda t: t):
        w, x_a, x_b = build(case, seed)
        w, x_a, x_b = {k: move(v) for k, v in w.items()}, move(x_a), move(x_b)
        self.device = x_a.device  # where the inputs live (grader.sandbox.device_spy moves them)
        if case.module:
            w = {k: torch.nn.Parameter(v) for k, v in w.items()}
        self.case, self.w, self.x_a, self.x_b = case, w, x_a, x_b
        self.encoded: list[torch.Tensor] = []  # the batches of the first call
        self.decoded: list[torch.Tensor] = []
        self.calls = 0

    def encode(self, x):
        self._expect(x, self.case.shape, "encode", "x_a.unsqueeze(0)")
        if self.calls == 1:
            self.encoded.append(x.detach().clone())
        return mean_of(self.w, x, self.case.latent), log_var_of(self.w, x, self.case.latent)

    def decode(self, z):
        self._expect(z, self.case.latent, "decode", "z.unsqueeze(0)")
        if self.calls == 1:
            self.decoded.append(z.detach().clone())
        return decoded(self.w, z, self.case.shape)

    def _expect(self, x, shape: tuple[int, ...], who: str, fix: str) -> None:
        if not isinstance(x, torch.Tensor):
            raise ValueError(f"{who} expects a tensor, got {type(x).__name__}")
        if tuple(x.shape) == shape:
            raise ValueError(f"{who} {NO_BATCH}, e.g. {fix}")
        if x.dim() != len(shape) + 1 or tuple(x.shape[1:]) != shape:
            raise ValueError(f"{who} expects a batch of shape (n, {', '.join(map(str, shape))}), "
                             f"got shape {tuple(x.shape)}")
        if x.device != self.device:
            raise ValueError(f"{who} expects a tensor on the same device as the model ({self.device}), "
                             f"got one on {x.device}")
        if x.dtype != self.case.dtype:
            raise ValueError(f"{who} expects {str(self.case.dtype)[6:]} {MODEL_DTYPE}, got {str(x.dtype)[6:]}")

    def models(self):
        if not self.case.module:
            return self.encode, self.decode
        return Wrapped(self.encode, self.w, ("W", "b", "V", "c")), Wrapped(self.decode, self.w, ("A", "e"))

    def call(self, interpolate):
        self.calls += 1
        encode, decode = self.models()
        if self.case.steps is None:
            return interpolate(encode, decode, self.x_a, self.x_b)
        return interpolate(encode, decode, self.x_a, self.x_b, self.case.steps)


class Wrapped(torch.nn.Module):
    """An nn.Module around one of Pair's functions, holding the weights it uses."""

    def __init__(self, fn, w: dict[str, torch.Tensor], names: tuple[str, ...]):
        super().__init__()
        self.fn = fn
        for name in names:
            self.register_parameter(name, w[name])

    def forward(self, x):
        return self.fn(x)


def observe(interpolate, cases: list[Case], seed: int) -> dict:
    """Per case: what the call returned (or raised), and a second call on the same models and tensors;
    x_a and x_b afterwards, the batches the models got in the first call."""
    out = {}
    for i, case in enumerate(cases):
        pair = Pair(case, seed)
        out[f"case{i}"], out[f"second{i}"] = twice(lambda: pair.call(interpolate))  # noqa: B023 - called at once
        out[f"inputs{i}"] = (pair.x_a, pair.x_b)
        out[f"encoded{i}"], out[f"decoded{i}"] = pair.encoded, pair.decoded
    return out


@probe
def paths(interpolate, seed):
    out = observe(interpolate, cases(seed), seed)
    again = Pair(cases(seed)[0], seed)  # the first case once more, with fresh models: the same path?
    out["again"], out["again_decoded"] = capture(lambda: again.call(interpolate)), again.decoded
    return out


@probe
def spatial(interpolate, seed):
    return observe(interpolate, spatial_cases(seed), seed)


@probe
def device(interpolate, seed):
    return run_on_device(lambda move: Pair(DEVICE_CASE, seed, move).call(interpolate))
