"""Probes of exercise c7, dae_loss(autoencoder, x, noise_std): they run in the student's isolated
process. The autoencoder handed to the function is a small fixed network wrapped in a Recorder, so
the grader sees the noisy batch it was called on, recovers the noise and recomputes the loss."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from grader.sandbox.models import Recorder
from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded, under_seeds

F64, F32 = torch.float64, torch.float32
SAMPLE_SHAPE, SAMPLE_STD = (2000, 4), 0.5


@dataclass(frozen=True)
class Case:
    shape: tuple
    dtype: torch.dtype
    noise_std: float
    seed: int

    def describe(self) -> str:
        return f"x of shape {self.shape} ({str(self.dtype)[6:]}), noise_std = {self.noise_std:g}"


def cases(seed: int) -> list[Case]:
    b, d, b2 = draw_shape(seed, (1, 4), (3, 8), (2, 5))
    return [Case((1, 5), F32, 0.3, seed), Case((2 * b + 1, d), F64, 0.7, seed + 1),
            Case((b2, 2, 3, 3), F32, 0.2, seed + 2), Case((3, 1, 4, 4), F64, 1.5, seed + 3)]


class TanhAutoencoder(nn.Module):
    """x -> tanh(x W + c) V + b on each flattened sample, reshaped like x: fixed weights, one per case."""

    def __init__(self, numel: int, seed: int, dtype: torch.dtype):
        super().__init__()
        g, hidden = seeded(1000 + seed), 6
        self.encode = nn.Parameter((torch.randn(numel, hidden, generator=g, dtype=F64) / numel ** 0.5).to(dtype))
        self.decode = nn.Parameter((torch.randn(hidden, numel, generator=g, dtype=F64) / hidden ** 0.5).to(dtype))
        self.bias = nn.Parameter((0.1 * torch.randn(numel, generator=g, dtype=F64)).to(dtype))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        flat = x.flatten(1)
        return (torch.tanh(flat @ self.encode) @ self.decode + self.bias).reshape(x.shape)


def make_x(case: Case) -> torch.Tensor:
    return torch.randn(case.shape, generator=seeded(case.seed), dtype=F64).to(case.dtype)


def make_autoencoder(case: Case) -> Recorder:
    return Recorder(TanhAutoencoder(int(torch.Size(case.shape[1:]).numel()), case.seed, case.dtype))


def call(dae_loss, case: Case, backward: bool = False) -> dict:
    """The loss (or the error), the batches the autoencoder saw, its parameters' gradients, x after."""
    autoencoder, x = make_autoencoder(case), make_x(case)
    out = capture(lambda: dae_loss(autoencoder, x, case.noise_std))
    out.update(record=autoencoder.record(), x_after=x)
    loss = out.get("result")
    if backward and isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1:
        try:
            loss.sum().backward()
            out["grads"] = [p.grad for p in autoencoder.model.parameters()]
        except RuntimeError as exc:
            out["grads"] = f"{type(exc).__name__}: {exc}"[:300]
    return out


def sample_case(seed: int) -> Case:
    return Case(SAMPLE_SHAPE, F64, SAMPLE_STD, seed + 20)


def seen(dae_loss, case: Case):
    """The first batch the autoencoder saw in one call (None when it saw none)."""
    record = call(dae_loss, case)["record"]
    return record["seen"][0]["args"][0] if record["seen"] else None


@probe
def basic(dae_loss, seed):
    return {f"case{i}": call(dae_loss, case, backward=True) for i, case in enumerate(cases(seed))}


@probe
def sample(dae_loss, seed):
    case = sample_case(seed)
    return {"call1": call(dae_loss, case), "call2": call(dae_loss, case),
            "seeds": under_seeds(lambda: seen(dae_loss, case), seed)}


@probe
def device(dae_loss, seed):
    case = Case((3, 4), F32, 0.5, seed + 40)
    autoencoder, x = make_autoencoder(case), make_x(case)
    return run_on_device(lambda move: dae_loss(autoencoder, move(x), case.noise_std))
