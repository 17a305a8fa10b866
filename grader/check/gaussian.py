"""Exact references for linear-Gaussian recursions, on the grader's side.

A sampler driven by an affine model (grader.sandbox.models.GaussianEps) from Gaussian noise
applies affine maps plus fresh Gaussian noise, elementwise, so its output is exactly Gaussian:
propagate the mean and variance through the steps and test the student's samples,
standardized, against N(0, 1) (grader.check.stats). Nothing here reuses the student-side model:
alpha_bar is an explicit running product, and the coefficients are derived again below.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

F64 = torch.float64


def alpha_bars(betas: torch.Tensor) -> torch.Tensor:
    """alpha_bar_t = prod_{s <= t} (1 - beta_s), as an explicit running product in float64."""
    out, product = [], 1.0
    for beta in betas.detach().to(F64).tolist():
        product *= 1.0 - beta
        out.append(product)
    return torch.tensor(out, dtype=F64)


def eps_affine(betas: torch.Tensor, t: int, mean: torch.Tensor | float, std: torch.Tensor | float):
    """(c, d) with E[eps | x_t] = c * x_t + d for data N(mean, std^2): by Gaussian conditioning,
    c = Cov(eps, x_t) / Var(x_t) and d = -c * E[x_t]."""
    ab = alpha_bars(betas)[t]
    mean, std = torch.as_tensor(mean, dtype=F64), torch.as_tensor(std, dtype=F64)
    c = (1 - ab).sqrt() / (ab * std**2 + (1 - ab))
    return c, -c * ab.sqrt() * mean


@dataclass(frozen=True)
class Gaussian:
    """Independent Gaussians, elementwise: mean and variance tensors (broadcastable)."""

    mean: torch.Tensor
    var: torch.Tensor

    @staticmethod
    def standard(shape: tuple[int, ...]) -> "Gaussian":
        return Gaussian(torch.zeros(shape, dtype=F64), torch.ones(shape, dtype=F64))

    def affine(self, scale, shift=0.0, noise_var=0.0) -> "Gaussian":
        """The law of scale * x + shift + sqrt(noise_var) * z, z ~ N(0, 1) independent of x."""
        scale = torch.as_tensor(scale, dtype=F64)
        return Gaussian(scale * self.mean + shift, scale**2 * self.var + noise_var)

    def standardize(self, x: torch.Tensor) -> torch.Tensor:
        """(x - mean) / std: i.i.d. N(0, 1) values when x follows this law."""
        return (x.to(F64) - self.mean) / self.var.sqrt()
