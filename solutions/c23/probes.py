"""Probes of exercise c23, langevin_step(energy, x, step_size, noise=None): they run in the
student's isolated process. The energy handed to the student's function is built here from
the run's seed (the grader rebuilds it, and the inputs, and knows its gradient in closed form);
its parameters require grad, as a model's being trained do."""

import torch
from torch import nn

from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded, under_seeds

F64, F32 = torch.float64, torch.float32
FRESH_SHAPE, FRESH_STEP = (500, 4), 0.1


class Energy(nn.Module):
    """E(x) = sum over non-batch dims of a (x - m)^2 / 2 + b log cosh(x), shape (B,):
    grad E = a (x - m) + b tanh(x)."""

    def __init__(self, shape, seed: int, dtype: torch.dtype):
        super().__init__()
        g = seeded(seed)
        self.m = nn.Parameter(torch.randn(shape, generator=g, dtype=F64).to(dtype))
        self.a = nn.Parameter((0.5 + 1.5 * torch.rand(shape, generator=g, dtype=F64)).to(dtype))
        self.b = nn.Parameter((2 * torch.rand(shape, generator=g, dtype=F64) - 1).to(dtype))

    def forward(self, x):
        terms = 0.5 * self.a * (x - self.m) ** 2 + self.b * torch.log(torch.cosh(x))
        return terms.flatten(1).sum(dim=1)


def cases(seed):
    """(shape, dtype, step_size) of the cases with noise given; sizes drawn from the run's seed."""
    b, d = draw_shape(seed, (2, 6), (2, 5))
    c, h = draw_shape(seed + 1, (2, 3), (2, 4))
    return [((b, d), F64, 0.1), ((b + 1, c, h, h + 1), F32, 0.5), ((b, d + 1), F64, 0.02)]


def case_inputs(i, seed):
    """The energy, x and the noise of case i."""
    shape, dtype, _ = cases(seed)[i]
    g = seeded(seed + 100 + i)
    x, noise = (torch.randn(shape, generator=g, dtype=F64) for _ in range(2))
    return Energy(shape[1:], seed + 50 + i, dtype), (1.5 * x).to(dtype), noise.to(dtype)


def fresh_inputs(seed):
    x = 1.5 * torch.randn(FRESH_SHAPE, generator=seeded(seed + 7), dtype=F64)
    return Energy(FRESH_SHAPE[1:], seed + 8, F64), x


def grads(energy):
    return [p.grad for p in energy.parameters()]


@probe
def given(langevin_step, seed):
    out = {}
    for i, (_, _, h) in enumerate(cases(seed)):
        energy, x, noise = case_inputs(i, seed)
        copy = x.clone()  # for the second call, in case the first changes x in place
        out[f"case{i}"] = capture(lambda: langevin_step(energy, x, h, noise))  # noqa: B023 - called at once
        out[f"repeat{i}"] = capture(lambda: langevin_step(energy, copy, h, noise.clone()))  # noqa: B023
        out[f"x{i}"], out[f"grads{i}"] = x, grads(energy)
    return out


@probe
def leaf(langevin_step, seed):
    """x a leaf that requires grad, and parameters holding gradients from the caller's training."""
    energy, x, noise = case_inputs(0, seed)
    x.requires_grad_()
    for p in energy.parameters():
        p.grad = torch.ones_like(p)
    made = capture(lambda: langevin_step(energy, x, cases(seed)[0][2], noise))
    return {**made, "x": x, "grads": grads(energy)}


@probe
def no_grad(langevin_step, seed):
    energy, x, noise = case_inputs(2, seed)
    with torch.no_grad():
        return capture(lambda: langevin_step(energy, x, cases(seed)[2][2], noise))


@probe
def fresh(langevin_step, seed):
    energy, x = fresh_inputs(seed)
    out = {call: capture(lambda: langevin_step(energy, x.clone(), FRESH_STEP)) for call in ("first", "second")}  # noqa: B023
    out["seeded"] = under_seeds(lambda: langevin_step(energy, x.clone(), FRESH_STEP), seed + 9)
    return out


@probe
def device(langevin_step, seed):
    energy, x, _ = case_inputs(0, seed)
    return run_on_device(lambda move: langevin_step(energy, move(x), 0.1))
