"""The swiss-roll course in miniature, for suites that train a model (c17): the data, a small
time-conditioned MLP, and the grader's own DDPM sampler. They run in the student's process
(the model lives there), but nothing here is the student's code: a suite samples the model the
student trained with this sampler, never with theirs."""

from __future__ import annotations

import math

import torch
from torch import nn

from grader.sandbox.models import constant

F32 = torch.float32
ROLL_SCALE = 7.0  # the roll's coordinates divided by this have about unit std


def swiss_roll(n: int, generator: torch.Generator) -> torch.Tensor:
    """n points (n, 2) of a 2-D swiss roll, float32, about unit std: angle 1.5 pi (1 + 2u),
    u ~ U(0, 1), radius the angle, plus N(0, 0.3^2) jitter, all divided by ROLL_SCALE."""
    angle = 1.5 * math.pi * (1 + 2 * torch.rand(n, generator=generator, dtype=torch.float64))
    points = torch.stack([angle * angle.cos(), angle * angle.sin()], 1)
    points = points + 0.3 * torch.randn(n, 2, generator=generator, dtype=torch.float64)
    return (points / ROLL_SCALE).to(F32)


class TimeMLP(nn.Module):
    """eps(x, t) for 2-D points: x and a sinusoidal embedding of t, then two SiLU layers.
    The embedding's frequencies are a Parameter without grad, so they travel with the model
    (the device check sees them on the model's device, as a real buffer would be)."""

    def __init__(self, hidden: int = 128, features: int = 16):
        super().__init__()
        half = features // 2
        self.freqs = constant(torch.exp(-math.log(1000.0) * torch.arange(half, dtype=F32) / (half - 1)))
        self.net = nn.Sequential(nn.Linear(2 + features, hidden), nn.SiLU(), nn.Linear(hidden, hidden), nn.SiLU(),
                                 nn.Linear(hidden, 2))

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        angles = t.to(x.dtype).reshape(-1, 1) * self.freqs
        return self.net(torch.cat([x, angles.sin(), angles.cos()], 1))


def flat_parameters(model: nn.Module) -> torch.Tensor:
    """Every trainable parameter, copied into one vector: compare before and after training."""
    return torch.cat([p.detach().reshape(-1).clone() for p in model.parameters() if p.requires_grad])


@torch.no_grad()
def ancestral_sample(eps_model, n: int, betas: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """DDPM ancestral sampling (sigma_t^2 = beta_t), t = T-1 down to 0, no noise at t = 0:
    x_{t-1} = (x_t - beta_t / sqrt(1 - alpha_bar_t) eps(x_t, t)) / sqrt(alpha_t) + sqrt(beta_t) z."""
    betas = betas.to(torch.float64)
    alpha_bar = torch.cumprod(1 - betas, 0)
    x = torch.randn(n, 2, generator=generator, dtype=torch.float64)
    for t in reversed(range(betas.shape[0])):
        eps = eps_model(x.to(F32), torch.full((n,), t, dtype=torch.long)).to(torch.float64)
        x = (x - betas[t] / (1 - alpha_bar[t]).sqrt() * eps) / (1 - betas[t]).sqrt()
        if t > 0:
            x = x + betas[t].sqrt() * torch.randn(n, 2, generator=generator, dtype=torch.float64)
    return x.to(F32)
