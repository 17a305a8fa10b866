import math

import torch


def _linear(T):
    return 1e-4 + (0.02 - 1e-4) * torch.arange(T, dtype=torch.float64) / (T - 1)


def _cosine(T, s=0.008):
    u = torch.arange(T + 1, dtype=torch.float64)
    log_f = 2 * torch.log(torch.cos((u / T + s) / (1 + s) * (math.pi / 2)).clamp_min(1e-300))
    log_ratio = log_f[1:] - log_f[:-1]
    return torch.minimum(-torch.expm1(log_ratio), torch.tensor(0.999, dtype=torch.float64))


SCHEDULES = {"linear": _linear, "cosine": _cosine}


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind not in SCHEDULES:
        raise ValueError(f"kind must be one of {sorted(SCHEDULES)}, got {kind!r}")
    return SCHEDULES[kind](T).to(dtype=dtype)
