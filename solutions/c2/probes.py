"""Probes of exercise c2, add_noise(x0, t, noise_schedule, noise=None): they run in the
student's isolated process. Inputs are drawn from the run's seed (the grader rebuilds them)."""

import torch

from grader.sandbox.probing import backward_if_possible, capture, probe, run_on_device, seeded, under_seeds

F64, F32 = torch.float64, torch.float32
T = 20
BETAS = torch.linspace(0.01, 0.3, T, dtype=F64)  # large betas: neighbouring steps differ visibly
# (shape, dtype, t): int t, per-sample t with 0 and T-1, batch 1, 4-D with W == B (broadcast trap)
CASES = [((4, 3), F64, [0, 5, T - 1, 10]), ((1, 2, 3, 3), F32, 7), ((4, 3, 2, 4), F32, [0, T - 1, 3, 12]),
         ((3, 6), F64, 0), ((5,), F64, [1, 2, 3, 4, 5])]
FRESH_SHAPE = (2000, 10)


def case_inputs(i, seed):
    shape, dtype, t = CASES[i]
    g = seeded(seed + 100 + i)
    x0 = torch.randn(shape, generator=g, dtype=F64).to(dtype)
    noise = torch.randn(shape, generator=g, dtype=F64).to(dtype)
    t = torch.tensor(t) if isinstance(t, list) else t
    return x0, t, BETAS.to(dtype), noise


def fresh_inputs(seed):
    x0 = torch.randn(FRESH_SHAPE, generator=seeded(seed + 7), dtype=F64)
    t = torch.randint(0, T, (FRESH_SHAPE[0],), generator=seeded(seed + 8))
    return x0, t


@probe
def given_noise(add_noise, seed):
    out = {}
    for i in range(len(CASES)):
        x0, t, betas, noise = case_inputs(i, seed)
        out[f"case{i}"] = capture(lambda: add_noise(x0, t, betas, noise))  # noqa: B023 - called at once
        out[f"inputs{i}"] = (x0, betas, noise)
    return out


@probe
def fresh_noise(add_noise, seed):
    x0, t = fresh_inputs(seed)
    return {which: capture(lambda: add_noise(x0.clone(), t, BETAS.clone())) for which in ("first", "second")}


@probe
def seeds(add_noise, seed):
    """Three calls under torch.manual_seed (the same seed twice, then another), each on new inputs
    shaped as the fresh-noise probe's: only noise that follows the global seed repeats."""
    calls = iter(range(3))
    return under_seeds(lambda: add_noise(*fresh_inputs(seed + 20 + next(calls)), BETAS.clone()), seed)


@probe
def gradients(add_noise, seed):
    x0, t, betas, noise = case_inputs(0, seed)
    x0.requires_grad_()
    made = capture(lambda: add_noise(x0, t, betas, noise))
    result = made.get("result")
    x_t = result[0] if isinstance(result, (tuple, list)) and result else result
    backward_if_possible(x_t, x0, torch.ones(x0.shape, dtype=F64))
    return {**made, "grad": x0.grad}


@probe
def device(add_noise, seed):
    x0, t = torch.randn(3, 2, 4, generator=seeded(seed + 9), dtype=F64), torch.tensor([0, 4, T - 1])
    return run_on_device(lambda move: add_noise(move(x0), move(t), move(BETAS)))
