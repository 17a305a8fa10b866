"""Probes of exercise c11, make_beta_schedule(kind, T, dtype=torch.float64): they run in the
student's isolated process. The lengths T are drawn from the run's seed (the grader redraws them)."""

import torch

from grader.sandbox.probing import capture, draw_shape, probe

F64, F32 = torch.float64, torch.float32
KINDS = ("linear", "cosine")
# kinds that public code adds beside these two (hojonathanho/diffusion, diffusers) first: each must be refused
UNKNOWN_KINDS = ("quad", "const", "jsd", "scaled_linear", "quadratic", "sigmoid")


def cases(seed):
    """(T, dtype) per case, dtype None for the default: T = 2, small, medium and long schedules,
    T = 1000 (where a 1000 / T rescaling hides) and one T past it."""
    small, medium, long = draw_shape(seed, (3, 12), (13, 80), (100, 400))
    longest = draw_shape(seed + 1, (1200, 3000))[0]
    return [(2, None), (small, F32), (medium, F64), (1000, None), (long, F64), (longest, F32)]


@probe
def schedules(make_beta_schedule, seed):
    out = {}
    for kind in KINDS:
        for i, (T, dtype) in enumerate(cases(seed)):
            call = (lambda: make_beta_schedule(kind, T)) if dtype is None else (  # noqa: B023 - called at once
                lambda: make_beta_schedule(kind, T, dtype))  # noqa: B023
            out[f"{kind}{i}"] = capture(call)
    return out


@probe
def unknown_kinds(make_beta_schedule, seed):
    return {kind: capture(lambda: make_beta_schedule(kind, 10)) for kind in UNKNOWN_KINDS}  # noqa: B023
