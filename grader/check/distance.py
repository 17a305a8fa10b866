"""Distances between two samples of points, on the grader's side (torch only)."""

from __future__ import annotations

import torch


def energy_distance(a: torch.Tensor, b: torch.Tensor) -> float:
    """The energy distance 2 E|X - Y| - E|X - X'| - E|Y - Y'| between the samples' laws (Szekely),
    estimated with every pair (the V-statistic, float64): 0 for one law, and it grows with any
    difference of the laws, not only of their means and variances."""
    a, b = a.to(torch.float64).reshape(a.shape[0], -1), b.to(torch.float64).reshape(b.shape[0], -1)
    return float(2 * torch.cdist(a, b).mean() - torch.cdist(a, a).mean() - torch.cdist(b, b).mean())
