"""What the probes of the one-step diffusion samplers (c13's DDPM step, c14's DDIM step) share:
a short schedule whose first beta is large, the exact eps model of Gaussian data N(2, 3^2) in a
Recorder (the predicted x0 falls outside [-1, 1], so clipping shows), inputs drawn from the run's
seed, and one recorded call. They run in the student's process; the grader redraws the inputs."""

from __future__ import annotations

from typing import Any, Callable

import torch

from grader.sandbox.models import GaussianEps, Recorder
from grader.sandbox.probing import capture, draw_shape, run_on_device, seeded

T = 10
BETAS = torch.linspace(0.1, 0.4, T, dtype=torch.float64)
DATA_MEAN, DATA_STD = 2.0, 3.0
SEEDS_SHAPE = (300, 2)  # the calls under torch.manual_seed


def fresh_shape(seed: int) -> tuple[int, ...]:
    """The batch whose fresh noise is tested: a few thousand values."""
    return draw_shape(seed + 2, (1500, 2000), (2, 3))


def inputs(shape, dtype, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """x_t (around the data's scale) and a noise z, drawn from the seed."""
    g = seeded(seed)
    x_t = DATA_MEAN + DATA_STD * torch.randn(shape, generator=g, dtype=torch.float64)
    return x_t.to(dtype), torch.randn(shape, generator=g, dtype=torch.float64).to(dtype)


def model(dtype) -> Recorder:
    return Recorder(GaussianEps(BETAS.to(dtype), DATA_MEAN, DATA_STD))


def recorded_step(call: Callable[..., Any], shape, dtype, seed: int, given: bool = True) -> dict[str, Any]:
    """call(eps_model, x_t, betas, noise) on fresh inputs (noise None unless given): its result or
    error, the model's recording, and the inputs as they are after the call."""
    eps, (x_t, z) = model(dtype), inputs(shape, dtype, seed)
    betas = BETAS.to(dtype)
    out = capture(lambda: call(eps, x_t, betas, z if given else None))
    return {**out, "calls": eps.calls, "seen": eps.seen[:2], "after": (x_t, betas, z)}


def gradient_step(call: Callable[..., Any], seed: int, given: bool = True) -> dict[str, Any]:
    """call(eps_model, x_t, betas, noise) on a float64 x_t of shape (4, 3) that requires grad (noise
    None unless given): its result or error, and d sum(result) / d x_t (None when no graph reaches x_t)."""
    x_t, z = inputs((4, 3), torch.float64, seed)
    x_t.requires_grad_()
    out = capture(lambda: call(model(torch.float64), x_t, BETAS, z if given else None))
    result = out.get("result")
    if isinstance(result, torch.Tensor) and result.requires_grad and result.shape == x_t.shape:
        result.sum().backward()
    return {**out, "grad": x_t.grad}


def device_step(call: Callable[..., Any], seed: int) -> dict[str, Any]:
    """call(eps_model, x_t, betas, noise) with the tensors on another device (probing.run_on_device),
    and the timesteps the model was called with."""
    x_t, z = inputs((4, 3), torch.float64, seed + 50)
    eps = model(torch.float64)
    observed = run_on_device(lambda move: call(eps, move(x_t), move(BETAS), move(z)))
    return {**observed, "seen_t": [c["args"][1] for c in eps.seen if len(c["args"]) > 1]}
