"""Probes of exercise c2, add_noise(x0, t, noise_schedule, noise=None): they run in the
student's isolated process. Inputs are drawn from the run's seed (the grader rebuilds them)."""

import torch

from grader.sandbox.probing import backward_if_possible, capture, draw_shape, probe, run_on_device, seeded, twice, under_seeds

F64, F32 = torch.float64, torch.float32
T = 20
BETAS = torch.linspace(0.01, 0.3, T, dtype=F64)  # large betas: neighbouring steps differ visibly
FRESH_RANGES = ((1000, 1300), (4, 6))  # the noise=None sample's shape, halved: drawn from the run's seed


def per_sample_t(g, b):
    """b steps drawn from g, with the first and last step among them."""
    t = torch.randint(0, T, (b,), generator=g).tolist()
    return [0, *t[: b - 2], T - 1] if b >= 2 else t


def cases(seed):
    """(shape, dtype, t), sizes and steps drawn from the run's seed: per-sample t on (B, D) with D != B,
    int t on a batch of one 4-D example, per-sample t on 4-D with W == B (broadcast trap), int t = 0,
    and per-sample t on 1-D x0."""
    b0, d0, c1, h1, t1, b2, c2, h2, b3, d3, b4 = draw_shape(seed + 60, (3, 6), (2, 6), (1, 3), (2, 4), (1, T - 2),
                                                            (3, 5), (2, 3), (2, 3), (2, 5), (3, 7), (4, 7))
    g = seeded(seed + 61)
    return [((b0, d0 if d0 != b0 else b0 + 1), F64, per_sample_t(g, b0)), ((1, c1, h1, h1), F32, t1),
            ((b2, c2, h2, b2), F32, per_sample_t(g, b2)), ((b3, d3), F64, 0),
            ((b4,), F64, torch.randint(0, T, (b4,), generator=g).tolist())]


def fresh_shape(seed):
    """Even sizes, so the checks can pair neighbouring rows and columns."""
    return tuple(2 * n for n in draw_shape(seed + 62, *FRESH_RANGES))


def case_inputs(case, i, seed):
    shape, dtype, t = case
    g = seeded(seed + 100 + i)
    x0 = torch.randn(shape, generator=g, dtype=F64).to(dtype)
    noise = torch.randn(shape, generator=g, dtype=F64).to(dtype)
    t = torch.tensor(t) if isinstance(t, list) else t
    return x0, t, BETAS.to(dtype), noise


def fresh_inputs(seed, shape):
    x0 = torch.randn(shape, generator=seeded(seed + 7), dtype=F64)
    t = torch.randint(0, T, (shape[0],), generator=seeded(seed + 8))
    return x0, t


def device_inputs(seed):
    return torch.randn(3, 2, 4, generator=seeded(seed + 9), dtype=F64), torch.tensor([0, 4, T - 1])


@probe
def given_noise(add_noise, seed):
    """Each case called twice on the same tensors (a deterministic function returns the same x_t)."""
    out = {}
    for i, case in enumerate(cases(seed)):
        x0, t, betas, noise = case_inputs(case, i, seed)
        out[f"case{i}"], out[f"again{i}"] = twice(lambda: add_noise(x0, t, betas, noise))  # noqa: B023 - called at once
        out[f"inputs{i}"] = (x0, betas, noise)
    return out


@probe
def fresh_noise(add_noise, seed):
    x0, t = fresh_inputs(seed, fresh_shape(seed))
    return {which: capture(lambda: add_noise(x0.clone(), t, BETAS.clone())) for which in ("first", "second")}


@probe
def seeds(add_noise, seed):
    """Three calls under torch.manual_seed (the same seed twice, then another), each on new inputs
    shaped as the fresh-noise probe's: only noise that follows the global seed repeats."""
    calls = iter(range(3))
    shape = fresh_shape(seed)
    return under_seeds(lambda: add_noise(*fresh_inputs(seed + 20 + next(calls), shape), BETAS.clone()), seed)


@probe
def gradients(add_noise, seed):
    x0, t, betas, noise = case_inputs(cases(seed)[0], 0, seed)
    x0.requires_grad_()
    made = capture(lambda: add_noise(x0, t, betas, noise))
    result = made.get("result")
    x_t = result[0] if isinstance(result, (tuple, list)) and result else result
    backward_if_possible(x_t, x0, torch.ones(x0.shape, dtype=F64))
    return {**made, "grad": x0.grad}


@probe
def device(add_noise, seed):
    x0, t = device_inputs(seed)
    return run_on_device(lambda move: add_noise(move(x0), move(t), move(BETAS)))
