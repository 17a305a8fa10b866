"""Probes of exercise c16, ddpm_sample(eps_model, shape, noise_schedule, generator=None): they run in
the student's isolated process. The model is the exact eps of Gaussian data N(2, 0.3^2) times a
trainable gain (grader.sandbox.models.GainedEps) in a Recorder: every step is affine, so the
samples' law is known exactly; the data sit mostly above 1, so a clamp to [-1, 1] shows, and the
first beta is large (0.1), so noise added at t = 0 shows. Shapes are drawn from the run's seed."""

import torch

from grader.sandbox.models import GainedEps, Recorder
from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seed_everything, under_seeds

F64, F32 = torch.float64, torch.float32
T = 6
BETAS = torch.linspace(0.1, 0.3, T, dtype=F64)
DATA_MEAN, DATA_STD = 2.0, 0.3
SMALL = (64, 2)


def law_shape(seed):
    return draw_shape(seed, (4000, 5000)) + (2,)


def shape_cases(seed):
    """(shape, dtype of the schedule): points, batch 1, an image batch in float32."""
    return [(draw_shape(seed + 1, (3, 9)) + (2,), F64), ((1, 3), F64), (draw_shape(seed + 2, (2, 4)) + (2, 3, 3), F32)]


def generator(seed):
    return torch.Generator().manual_seed(seed)


def model(dtype=F64):
    return Recorder(GainedEps(BETAS.to(dtype), DATA_MEAN, DATA_STD))


def calls_of(recorder):
    """For each model call: its t (as passed), x's shape, and whether x required grad."""
    return {"calls": recorder.calls, "seen": [
        {"t": call["args"][1] if len(call["args"]) > 1 else None, "x_shape": list(getattr(call["args"][0], "shape", [])),
         "x_grad": call["requires_grad"][0]} for call in recorder.seen[:2 * T]]}


@probe
def law(ddpm_sample, seed):
    eps = model()
    out = capture(lambda: ddpm_sample(eps, law_shape(seed), BETAS.clone(), generator(seed + 5)))
    return {**out, **calls_of(eps)}


@probe
def shapes(ddpm_sample, seed):
    return {f"case{i}": capture(lambda: ddpm_sample(model(dtype), shape, BETAS.to(dtype), generator(seed + 6)))  # noqa: B023
            for i, (shape, dtype) in enumerate(shape_cases(seed))}


@probe
def reproducible(ddpm_sample, seed):
    """Two runs with generators seeded alike, one with another seed; whether the global state moved."""
    seed_everything(seed)
    before = torch.get_rng_state()
    out = {f"run{i}": capture(lambda: ddpm_sample(model(), SMALL, BETAS, generator(seed + k)))  # noqa: B023
           for i, k in enumerate((7, 7, 8))}
    return {**out, "state_moved": not torch.equal(before, torch.get_rng_state())}


@probe
def global_seed(ddpm_sample, seed):
    """Runs under torch.manual_seed (probing.under_seeds), then one more right after, not reseeded."""
    runs = under_seeds(lambda: ddpm_sample(model(), SMALL, BETAS), seed)
    return {**runs, "next": capture(lambda: ddpm_sample(model(), SMALL, BETAS))}


@probe
def device(ddpm_sample, seed):
    eps = model()
    return run_on_device(lambda move: ddpm_sample(eps, (4, 3), move(BETAS), generator(seed + 9)))
