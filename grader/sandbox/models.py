"""Models a probe hands to the student's function: they record how they were called, and some
answer from a known formula, so the grader can recover what the code drew and compute the exact
result it should have produced.

They run in the student's process, so a submission could rewrite what they record: a suite
gives points on a recording only where a forged one would have to be consistent with the
values the function returned (the README lists, per exercise, the points that rest on them).
Their constants are Parameters (requires_grad=False) so that the device check counts them as
living with the model, on the inputs' device, as a real model's weights would.
"""

from __future__ import annotations

from typing import Any, Callable

import torch
from torch import nn

MAX_RECORDED_CALLS = 4096  # calls past this are counted, not copied


def _copy(value: Any) -> Any:
    return value.detach().clone() if isinstance(value, torch.Tensor) else value


class Recorder(nn.Module):
    """Wraps a model (a module or a function) and keeps, for every call, a detached copy of its
    arguments and whether each tensor required grad, for the first `limit` calls; `calls` counts
    them all (a training loop makes thousands: keep a few)."""

    def __init__(self, model: nn.Module | Callable[..., Any], limit: int = MAX_RECORDED_CALLS):
        super().__init__()
        self.model, self.limit = model, limit
        self.calls = 0
        self.seen: list[dict[str, Any]] = []

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if len(self.seen) < self.limit:
            self.seen.append({"args": [_copy(a) for a in args], "kwargs": {k: _copy(v) for k, v in kwargs.items()},
                              "requires_grad": [bool(getattr(a, "requires_grad", False)) for a in args]})
        return self.model(*args, **kwargs)

    def record(self) -> dict[str, Any]:
        """What the grader receives: the number of calls and the copies kept."""
        return {"calls": self.calls, "seen": self.seen}


def constant(value: torch.Tensor) -> nn.Parameter:
    return nn.Parameter(value, requires_grad=False)


class GaussianEps(nn.Module):
    """The exact noise prediction E[eps | x_t] when the data are x0 ~ N(mean, std^2), independently
    per element, and x_t = sqrt(ab_t) x0 + sqrt(1 - ab_t) eps:

        eps(x_t, t) = sqrt(1 - ab_t) (x_t - sqrt(ab_t) mean) / (ab_t std^2 + 1 - ab_t).

    `t` is a LongTensor (B,) (or an int, for the whole batch); the coefficients broadcast over all
    of x_t's non-batch dims; the result has x_t's dtype. Every step of a sampler driven by it is
    affine in x_t, so the output distribution is known exactly (grader.check.gaussian)."""

    def __init__(self, betas: torch.Tensor, mean: float | torch.Tensor = 0.0, std: float | torch.Tensor = 1.0):
        super().__init__()
        alpha_bar = torch.cumprod(1 - betas.detach().to(torch.float64), 0)
        mean, std = (torch.as_tensor(v, dtype=torch.float64) for v in (mean, std))
        self.alpha_bar, self.mean, self.std = constant(alpha_bar), constant(mean), constant(std)

    def forward(self, x: torch.Tensor, t: torch.Tensor | int) -> torch.Tensor:
        ab = self.alpha_bar[t] if isinstance(t, int) else self.alpha_bar[t.long()].view(-1, *[1] * (x.dim() - 1))
        scale = (1 - ab).sqrt() / (ab * self.std**2 + 1 - ab)
        return (scale * (x.to(torch.float64) - ab.sqrt() * self.mean)).to(x.dtype)


class GainedEps(nn.Module):
    """GaussianEps's prediction times a trainable gain, 1 at the start: a parameter the graph of
    a loss must reach, and one a sampler run without torch.no_grad() would keep a graph to."""

    def __init__(self, betas: torch.Tensor, mean: float = 0.0, std: float = 1.0):
        super().__init__()
        self.eps = GaussianEps(betas, mean, std)
        self.gain = nn.Parameter(torch.ones((), dtype=betas.dtype))

    def forward(self, x: torch.Tensor, t: torch.Tensor | int) -> torch.Tensor:
        return self.gain.to(x.dtype) * self.eps(x, t)
