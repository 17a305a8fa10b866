"""Probes of exercise c14, ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
they run in the student's isolated process. The model is the exact eps of Gaussian data
(grader.sandbox.models.GaussianEps) in a Recorder; the data's mean 2 and std 3 put the predicted
x0 outside [-1, 1], so clipping shows. Shapes and values are drawn from the run's seed."""

import torch

from grader.sandbox.models import GaussianEps, Recorder
from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seed_everything, seeded, under_seeds

F64, F32 = torch.float64, torch.float32
T = 10
BETAS = torch.linspace(0.1, 0.4, T, dtype=F64)
DATA_MEAN, DATA_STD = 2.0, 3.0
FRESH = (6, 2, 1.0)  # (t, t_prev, eta) of the fresh-noise calls


def given_cases(seed):
    """(shape, dtype, t, t_prev, eta): eta = 0 and eta > 0, t_prev = -1, batch 1, an image batch."""
    b, d = draw_shape(seed, (2, 7), (2, 5))
    c, t = draw_shape(seed + 1, (2, 4), (3, T - 1))
    return [((b, d), F64, 6, 5, 0.0), ((c, 2, 3, 3), F32, t, 1, 0.0), ((1, 3), F32, 8, 3, 0.0),
            ((b, d), F64, 5, 2, 0.5), ((1, 3), F32, T - 1, T - 4, 1.0), ((c, 2, 3, 3), F32, t, 0, 0.3),
            ((c, 3), F64, 4, -1, 0.0), ((b, d), F64, 3, -1, 0.7)]


def fresh_shape(seed):
    return draw_shape(seed + 2, (1500, 2000), (2, 3))


SEEDS_SHAPE = (300, 2)


def inputs(shape, dtype, seed):
    g = seeded(seed)
    x_t = DATA_MEAN + DATA_STD * torch.randn(shape, generator=g, dtype=F64)
    return x_t.to(dtype), torch.randn(shape, generator=g, dtype=F64).to(dtype)


def model(dtype):
    return Recorder(GaussianEps(BETAS.to(dtype), DATA_MEAN, DATA_STD))


def step(ddim_step, case, seed, given=True):
    shape, dtype, t, t_prev, eta = case
    eps, (x_t, z) = model(dtype), inputs(shape, dtype, seed)
    betas = BETAS.to(dtype)
    out = capture(lambda: ddim_step(eps, x_t, t, t_prev, betas, eta, z if given else None))
    return {**out, "calls": eps.calls, "seen": eps.seen[:2], "after": (x_t, betas, z)}


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
def device(ddim_step, seed):
    x_t, z = inputs((4, 3), F64, seed + 50)
    eps = model(F64)
    observed = run_on_device(lambda move: ddim_step(eps, move(x_t), 5, -1, move(BETAS), 0.5, move(z)))
    return {**observed, "seen_t": [call["args"][1] for call in eps.seen if len(call["args"]) > 1]}
