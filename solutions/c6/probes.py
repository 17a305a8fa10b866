"""Probes of exercise c6, optimal_discriminator(p_data, p_g): they run in the student's
isolated process. They hand the student's function density functions defined here (plain
Python functions over tensors), call the D it returns on batches of points and send back
what D returned. The points are drawn from the run's seed, within ranges that keep each
case in its regime (the far-tail points move by a fraction of a unit at most); the grader
rebuilds the same densities on the same points (identical bits: same code, same inputs)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import torch

from grader.sandbox.probing import backward_if_possible, capture, draw_shape, probe, run_on_device, seeded

F64, F32 = torch.float64, torch.float32


def normal(mu, sigma=1.0):
    """N(mu, sigma^2); mu may be a tensor (the gradient probe differentiates through it)."""
    def density(x):
        return torch.exp(-0.5 * ((x - mu) / sigma) ** 2) / (sigma * math.sqrt(2 * math.pi))
    return density


def normal_2d(a, b):
    """N((a, b), I) for points of shape (N, 2); densities of shape (N,)."""
    def density(x):
        return torch.exp(-0.5 * ((x[..., 0] - a) ** 2 + (x[..., 1] - b) ** 2)) / (2 * math.pi)
    return density


def laplace(mu):
    """Laplace(mu, 1): 0.5 exp(-|x - mu|). Two of them have a constant ratio far out in a tail."""
    def density(x):
        return 0.5 * torch.exp(-(x - mu).abs())
    return density


def triangle(x):
    """p(x) = 2x on [0, 1], zero elsewhere (the worked example's p_data)."""
    return torch.where((x >= 0) & (x <= 1), 2 * x, torch.zeros_like(x))


def uniform(a, b):
    def density(x):
        inside = (x >= a) & (x <= b)
        return torch.where(inside, torch.full_like(x, 1 / (b - a)), torch.zeros_like(x))
    return density


@dataclass(frozen=True)
class Case:
    label: str  # how feedback names the situation
    p_data: Callable
    p_g: Callable
    x: tuple
    dtype: torch.dtype = F64

    def points(self) -> torch.Tensor:
        return torch.tensor(self.x, dtype=self.dtype)

    def densities(self) -> tuple[torch.Tensor, torch.Tensor]:
        x = self.points()
        return self.p_data(x), self.p_g(x)


def mirrored(*xs):
    return tuple(-v for v in reversed(xs)) + tuple(xs)


class Draw:
    """Points from the run's seed: one generator per group of cases, so each is rebuilt alone."""

    def __init__(self, seed: int):
        self.g = seeded(seed)

    def uniform(self, k: int, low: float, high: float) -> tuple[float, ...]:
        return tuple((low + (high - low) * torch.rand(k, generator=self.g, dtype=F64)).tolist())

    def jitter(self, xs: tuple[float, ...], width: float) -> tuple[float, ...]:
        """Each point moved by at most `width` either way."""
        return tuple(x + d for x, d in zip(xs, self.uniform(len(xs), -width, width)))

    def plane(self, k: int, centre: tuple[float, float], spread: float) -> tuple[tuple[float, float], ...]:
        xy = spread * torch.randn(k, 2, generator=self.g, dtype=F64) + torch.tensor(centre, dtype=F64)
        return tuple(tuple(row) for row in xy.tolist())


SEED_LABEL = "the worked example, p_data(x) = 2x on [0, 1] and p_g uniform on [0, 1]"


def value_cases(seed: int) -> dict[str, Case]:
    d = Draw(seed + 1)
    inner, gauss, plane, k = draw_shape(seed + 11, (2, 4), (10, 18), (8, 12), (1, 3))  # batch sizes from the seed
    return {
        "seed": Case(SEED_LABEL, triangle, uniform(0, 1), (0.0, *sorted(d.uniform(inner, 0.05, 0.95)), 1.0)),
        "gauss": Case("p_data = N(3, 1), p_g = N(5, 1)", normal(3), normal(5), d.uniform(gauss, -1.0, 9.0)),
        "one": Case("a batch of one point, p_data = N(3, 1), p_g = N(5, 1)", normal(3), normal(5),
                    d.uniform(1, 2.5, 5.5)),
        "plane": Case("2-D points, p_data = N((0, 0), I), p_g = N((1, -1), I)", normal_2d(0, 0), normal_2d(1, -1),
                      d.plane(plane, (0.5, -0.5), 1.5)),
        "support": Case("p_data(x) = 2x on [0, 1], p_g uniform on [0.5, 1.5] (where one density is zero)",
                        triangle, uniform(0.5, 1.5),  # k points where only p_data, k where both, k where only p_g
                        d.uniform(k + 1, 0.02, 0.48) + d.uniform(k, 0.52, 0.98) + d.uniform(k + 1, 1.02, 1.48)),
    }


# Far tails: densities from ~1e-100 down to subnormal numbers (~1e-311, below 2.2e-308),
# all nonzero in float64 (the jitter keeps every exponent above -744). In the shifted-Gaussian
# and Laplace pairs D stays between 0.02 and 0.98 however far out x is, so a 1e-8 stabilizer or
# a float32 cast cannot hide; the Laplace points beyond 709 have subnormal p_data + p_g.
def tail_cases(seed: int) -> dict[str, Case]:
    d = Draw(seed + 2)
    return {
        "gauss_tails": Case("far in the tails of p_data = N(3, 1), p_g = N(5, 1)", normal(3), normal(5),
                            d.jitter(tuple(float(v) for v in range(-33, 41)), 0.2)),
        "shifted_tails": Case("far in the tails of p_data = N(0, 1), p_g = N(0.1, 1)", normal(0), normal(0.1),
                              d.jitter(mirrored(20.0, 25.0, 30.0, 33.0, 35.0, 36.0, 37.0, 37.5), 0.2)),
        "laplace_tails": Case("far in the tails of p_data = Laplace(0, 1), p_g = Laplace(1, 1)", laplace(0),
                              laplace(1), d.jitter(mirrored(50.0, 150.0, 300.0, 450.0, 600.0, 690.0, 700.0, 705.0,
                                                            710.0, 714.0), 0.25)),
    }


def float32_cases(seed: int) -> dict[str, Case]:
    d = Draw(seed + 3)
    return {
        "laplace32": Case("float32 densities, far in the tails of p_data = Laplace(0, 1), p_g = Laplace(1, 1)",
                          laplace(0), laplace(1), d.jitter(mirrored(10.0, 30.0, 50.0, 69.0, 75.0, 80.0, 84.0), 0.3),
                          F32),
        "gauss32": Case("float32 densities, far in the tails of p_data = N(0, 1), p_g = N(0.1, 1)",
                        normal(0), normal(0.1), d.jitter(mirrored(3.0, 6.0, 9.0, 11.0, 12.0, 12.5), 0.1), F32),
        "seed32": Case("float32 densities, the worked example", triangle, uniform(0, 1),
                       (0.0, *d.uniform(1, 0.2, 0.8), 1.0), F32),
    }


def basic_cases(seed: int) -> dict[str, Case]:  # shapes and dtypes only; batch sizes drawn from the run's seed
    d = Draw(seed + 4)
    n64, n32, n2 = draw_shape(seed + 14, (3, 8), (5, 9), (4, 8))
    return {
        "batch5": Case(f"a float64 batch of {n64} points", triangle, uniform(0, 1), d.uniform(n64, 0.0, 1.0)),
        "batch7_f32": Case(f"a float32 batch of {n32} points", normal(3), normal(5), d.uniform(n32, 1.0, 7.0), F32),
        "batch1": Case("a batch of 1 point", normal(3), normal(5), d.uniform(1, 3.0, 5.0)),
        "plane": Case(f"a batch of {n2} two-dimensional points (x of shape ({n2}, 2))", normal_2d(0, 0),
                      normal_2d(1, -1), d.plane(n2, (0.5, -0.5), 1.0)),
    }


# D called repeatedly: two discriminators alive at once, new points of the same and of other shapes.
def calls_of(seed: int) -> list[tuple[str, str, tuple[float, ...], str]]:
    """(key, which D, points, what the feedback calls it), in the order of the calls."""
    d = Draw(seed + 5)
    n, m = draw_shape(seed + 15, (3, 6), (7, 10))
    a, b, c = d.uniform(n, 2.0, 7.0), d.uniform(n, 2.0, 7.0), d.uniform(m, 0.0, 9.0)
    return [("first", "D1", a, "the first call D(x)"),
            ("other", "D2", a, "a second discriminator, built with p_data and p_g swapped,"),
            ("same_shape", "D1", b, "a later call of D on new points of the same shape"),
            ("new_shape", "D1", c, f"a later call of D on {m} new points"),
            ("again", "D1", a, "D called again on the first points")]


DENSITIES_OF = {"D1": (normal(3), normal(5)), "D2": (normal(5), normal(3))}


def gradient_points(seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Points x (densities above 4e-3: gradients well conditioned) and weights w of sum(w * D(x))."""
    d, (n,) = Draw(seed + 6), draw_shape(seed + 16, (6, 10))
    return torch.tensor(d.uniform(n, 2.0, 6.0), dtype=F64), torch.tensor(d.uniform(n, -2.0, 2.0), dtype=F64)


def device_points(seed: int) -> torch.Tensor:
    return torch.tensor(Draw(seed + 7).uniform(draw_shape(seed + 17, (8, 12))[0], -2.0, 9.0), dtype=F64)


def build(fn: Callable, p_data: Callable, p_g: Callable) -> tuple[Callable | None, dict[str, Any]]:
    """(D, {}) when the student's function returns a callable, else (None, what it did)."""
    made = capture(lambda: fn(p_data, p_g))
    if "error" in made:
        return None, {"construct_error": made["error"]}
    if not callable(made["result"]):
        return None, {"returned": made["result"]}
    return made["result"], {}


def run_case(fn: Callable, case: Case) -> dict[str, Any]:
    D, trouble = build(fn, case.p_data, case.p_g)
    if D is None:
        return trouble
    return capture(lambda: D(case.points()))


@probe
def basics(fn, seed):
    D, trouble = build(fn, triangle, uniform(0, 1))
    out = {"callable": D is not None, **trouble}
    out.update({name: run_case(fn, case) for name, case in basic_cases(seed).items()})
    return out


@probe
def values(fn, seed):
    return {name: run_case(fn, case) for name, case in value_cases(seed).items()}


@probe
def tails(fn, seed):
    return {name: run_case(fn, case) for name, case in {**tail_cases(seed), **float32_cases(seed)}.items()}


@probe
def calls(fn, seed):
    made = {}
    for name, (p_data, p_g) in DENSITIES_OF.items():
        made[name], trouble = build(fn, p_data, p_g)
        if made[name] is None:
            return trouble
    return {key: capture(lambda d=made[which], x=x: d(torch.tensor(x, dtype=F64)))
            for key, which, x, _ in calls_of(seed)}


@probe
def gradients(fn, seed):
    points, weights = gradient_points(seed)
    x = points.clone().requires_grad_()
    mu_g = torch.tensor(5.0, dtype=F64, requires_grad=True)
    D, trouble = build(fn, normal(3), normal(mu_g))
    if D is None:
        return trouble
    value = capture(lambda: D(x))
    backward_if_possible(value.get("result"), x, weights)
    return {**value, "x_grad": x.grad, "mu_grad": mu_g.grad}


@probe
def device(fn, seed):
    x = device_points(seed)
    return run_on_device(lambda move: fn(normal(3), normal(5))(move(x)))
