"""Probes of exercise c14, ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
they run in the student's isolated process. The model is the exact eps of Gaussian data
(grader.sandbox.models.GaussianEps) in a Recorder; the data's mean 2 and std 3 put the predicted
x0 outside [-1, 1], so clipping shows. Shapes and values are drawn from the run's seed."""

import torch

from grader.sandbox.diffusion_probes import (DATA_MEAN, DATA_STD, SEEDS_SHAPE, T, device_step, fresh_shape, gradient_step,
                                            inputs, recorded_step)
from grader.sandbox.models import GaussianEps
from grader.sandbox.probing import capture, draw_shape, probe, seed_everything, under_seeds

F64, F32 = torch.float64, torch.float32
FRESH = (6, 2, 1.0)  # (t, t_prev, eta) of the fresh-noise calls
GRADIENT_CASES = ((6, 2, 0.0), (5, 1, 0.5))  # (t, t_prev, eta) of the gradient calls, the noise given
# A float32 schedule whose first beta is tiny: at eta = 1 from t = T-1 to t_prev = 0, 1 - ab_prev - sigma^2
# is ~1e-13, and ((1 - ab_prev) - sigma**2) computed as written in ermongroup/ddim rounds below 0.
CLAMP_BETAS = torch.cat([torch.tensor([1e-5], dtype=F64), torch.linspace(0.1, 0.8, T - 1, dtype=F64)]).to(F32)
CLAMP = ((5, 3), F32, T - 1, 0, 1.0)


def given_cases(seed):
    """(shape, dtype, t, t_prev, eta): eta = 0 and eta > 0, t_prev = -1, batch 1, an image batch."""
    b, d = draw_shape(seed, (2, 7), (2, 5))
    c, t = draw_shape(seed + 1, (2, 4), (3, T - 1))
    return [((b, d), F64, 6, 5, 0.0), ((c, 2, 3, 3), F32, t, 1, 0.0), ((1, 3), F32, 8, 3, 0.0),
            ((b, d), F64, 5, 2, 0.5), ((1, 3), F32, T - 1, T - 4, 1.0), ((c, 2, 3, 3), F32, t, 0, 0.3),
            ((c, 3), F64, 4, -1, 0.0), ((b, d), F64, 3, -1, 0.7)]


def step(ddim_step, case, seed, given=True):
    shape, dtype, t, t_prev, eta = case
    return recorded_step(lambda eps, x_t, betas, z: ddim_step(eps, x_t, t, t_prev, betas, eta, z), shape, dtype, seed,
                         given)


@probe
def given(ddim_step, seed):
    cases = given_cases(seed)
    out = {f"case{i}": step(ddim_step, case, seed + 10 + i) for i, case in enumerate(cases)}
    out["again"] = step(ddim_step, cases[3], seed + 13)
    return out


@probe
def eta_zero(ddim_step, seed):
    """A deterministic step with noise=None, and whether it moved torch's global random state."""
    seed_everything(seed)
    before = torch.get_rng_state()
    out = step(ddim_step, ((50, 2), F64, 7, 3, 0.0), seed + 20, given=False)
    return {**out, "state_moved": not torch.equal(before, torch.get_rng_state())}


@probe
def fresh(ddim_step, seed):
    return {f"call{i}": step(ddim_step, (fresh_shape(seed), F64, *FRESH), seed + 30, given=False) for i in (1, 2)}


@probe
def seeds(ddim_step, seed):
    return under_seeds(lambda: step(ddim_step, (SEEDS_SHAPE, F64, *FRESH), seed + 40, given=False).get("result"), seed)


@probe
def gradients(ddim_step, seed):
    """Steps on x_t requiring grad, the noise given: d sum(x_prev) / d x_t."""
    def call(t, t_prev, eta):
        return lambda eps, x_t, betas, z: ddim_step(eps, x_t, t, t_prev, betas, eta, z)
    return {f"case{i}": gradient_step(call(*case), seed + 60 + i) for i, case in enumerate(GRADIENT_CASES)}


@probe
def clamp(ddim_step, seed):
    """The step at eta = 1 on CLAMP_BETAS, where the direction's radicand rounds to about 0."""
    shape, dtype, t, t_prev, eta = CLAMP
    x_t, z = inputs(shape, dtype, seed + 70)
    return capture(lambda: ddim_step(GaussianEps(CLAMP_BETAS, DATA_MEAN, DATA_STD), x_t, t, t_prev, CLAMP_BETAS, eta, z))


@probe
def device(ddim_step, seed):
    return device_step(lambda eps, x_t, betas, z: ddim_step(eps, x_t, 5, -1, betas, 0.5, z), seed)
