"""Probes of exercise c13, ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None): they
run in the student's isolated process. The model is the exact eps of Gaussian data
(grader.sandbox.models.GaussianEps) in a Recorder; the data's mean 2 and std 3 put the
predicted x0 outside [-1, 1], and the first beta is large (0.1), so clipping and noise at t = 0
show. Shapes, steps and values are drawn from the run's seed (the grader redraws them)."""

import torch

from grader.sandbox.diffusion_probes import SEEDS_SHAPE, T, device_step, fresh_shape, gradient_step, recorded_step
from grader.sandbox.probing import draw_shape, probe, under_seeds

F64, F32 = torch.float64, torch.float32
FRESH_T = 1  # where beta_t and the posterior variance differ most


def given_cases(seed):
    """(shape, dtype, t): (B, D) float64 at a small t, batch 1, an image batch, and t = T-1, 0."""
    b, d = draw_shape(seed, (2, 7), (2, 5))
    c, t = draw_shape(seed + 1, (2, 4), (2, T - 2))
    return [((b, d), F64, 1), ((1, 3), F32, t), ((c, 2, 3, 3), F32, 2), ((b, d), F64, T - 1), ((c, 3), F64, 0)]


def step(ddpm_reverse_step, shape, dtype, t, seed, given=True):
    return recorded_step(lambda eps, x_t, betas, z: ddpm_reverse_step(eps, x_t, t, betas, z), shape, dtype, seed, given)


@probe
def given(ddpm_reverse_step, seed):
    out = {f"case{i}": step(ddpm_reverse_step, shape, dtype, t, seed + 10 + i)
           for i, (shape, dtype, t) in enumerate(given_cases(seed))}
    shape, dtype, t = given_cases(seed)[0]
    out["again"] = step(ddpm_reverse_step, shape, dtype, t, seed + 10)
    return out


@probe
def fresh(ddpm_reverse_step, seed):
    return {f"call{i}": step(ddpm_reverse_step, fresh_shape(seed), F64, FRESH_T, seed + 20, given=False)
            for i in (1, 2)}


@probe
def seeds(ddpm_reverse_step, seed):
    return under_seeds(lambda: step(ddpm_reverse_step, SEEDS_SHAPE, F64, FRESH_T, seed + 30, given=False).get("result"),
                       seed)


@probe
def gradients(ddpm_reverse_step, seed):
    """The step at t = 3 on x_t requiring grad, the noise given and not: d sum(x_(t-1)) / d x_t."""
    def call(eps, x_t, betas, z):
        return ddpm_reverse_step(eps, x_t, 3, betas, z)
    return {"given": gradient_step(call, seed + 40), "fresh": gradient_step(call, seed + 40, given=False)}


@probe
def device(ddpm_reverse_step, seed):
    return device_step(lambda eps, x_t, betas, z: ddpm_reverse_step(eps, x_t, 2, betas, z), seed)
