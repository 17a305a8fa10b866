"""Probes of exercise c6, optimal_discriminator(p_data, p_g): they run in the student's
isolated process. They hand the student's function density functions defined here (plain
Python functions over tensors), call the D it returns on batches of points and send back
what D returned. The grader rebuilds the same densities on the same points (identical bits:
same code, same inputs)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Callable

import torch

from grader.sandbox.probing import capture, backward_if_possible, probe, run_on_device

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


SEED = Case("the worked example, p_data(x) = 2x on [0, 1] and p_g uniform on [0, 1]",
            triangle, uniform(0, 1), (0.0, 0.25, 0.5, 0.75, 1.0))
GAUSS = Case("p_data = N(3, 1), p_g = N(5, 1)", normal(3), normal(5),
             (3.0, 4.0, 5.0, -1.0, 0.0, 1.0, 2.0, 2.5, 3.5, 4.5, 5.5, 6.0, 7.0, 8.0, 9.0))
ONE = Case("a batch of one point, p_data = N(3, 1), p_g = N(5, 1)", normal(3), normal(5), (3.7,))
PLANE = Case("2-D points, p_data = N((0, 0), I), p_g = N((1, -1), I)", normal_2d(0, 0), normal_2d(1, -1),
             ((0.0, 0.0), (1.0, -1.0), (0.5, -0.5), (-1.0, 2.0), (2.0, -2.5), (0.3, 1.7), (-2.0, -1.0)))
SUPPORT = Case("p_data(x) = 2x on [0, 1], p_g uniform on [0.5, 1.5] (where one density is zero)",
               triangle, uniform(0.5, 1.5), (0.1, 0.3, 0.6, 0.9, 1.2, 1.4))
VALUE_CASES = {"seed": SEED, "gauss": GAUSS, "one": ONE, "plane": PLANE, "support": SUPPORT}

# Far tails: densities from ~1e-100 down to subnormal numbers (~1e-311, below 2.2e-308),
# all nonzero in float64. In the shifted-Gaussian and Laplace pairs D stays between 0.02 and
# 0.98 however far out x is, so a 1e-8 stabilizer or a float32 cast cannot hide.
TAIL_CASES = {
    "gauss_tails": Case("far in the tails of p_data = N(3, 1), p_g = N(5, 1)", normal(3), normal(5),
                        tuple(float(v) for v in range(-33, 41))),
    "shifted_tails": Case("far in the tails of p_data = N(0, 1), p_g = N(0.1, 1)", normal(0), normal(0.1),
                          mirrored(20.0, 25.0, 30.0, 33.0, 35.0, 36.0, 37.0, 37.5)),
    "laplace_tails": Case("far in the tails of p_data = Laplace(0, 1), p_g = Laplace(1, 1)", laplace(0), laplace(1),
                          mirrored(50.0, 150.0, 300.0, 450.0, 600.0, 690.0, 700.0, 705.0, 710.0, 714.0)),
}
FLOAT32_CASES = {
    "laplace32": Case("float32 densities, far in the tails of p_data = Laplace(0, 1), p_g = Laplace(1, 1)",
                      laplace(0), laplace(1), mirrored(10.0, 30.0, 50.0, 69.0, 75.0, 80.0, 84.0), F32),
    "gauss32": Case("float32 densities, far in the tails of p_data = N(0, 1), p_g = N(0.1, 1)",
                    normal(0), normal(0.1), mirrored(3.0, 6.0, 9.0, 11.0, 12.0, 12.5), F32),
    "seed32": Case("float32 densities, the worked example", triangle, uniform(0, 1), (0.0, 0.5, 1.0), F32),
}
BASIC_CASES = {  # shapes and dtypes only
    "batch5": Case("a float64 batch of 5 points", triangle, uniform(0, 1), (0.0, 0.25, 0.5, 0.75, 1.0)),
    "batch7_f32": Case("a float32 batch of 7 points", normal(3), normal(5), tuple(float(v) for v in range(1, 8)), F32),
    "batch1": Case("a batch of 1 point", normal(3), normal(5), (4.0,)),
    "plane": Case("a batch of 6 two-dimensional points (x of shape (6, 2))", normal_2d(0, 0), normal_2d(1, -1),
                  ((0.0, 0.0), (1.0, -1.0), (0.5, 0.5), (-1.0, 2.0), (2.0, -2.0), (0.3, 1.7))),
}

# D called repeatedly: two discriminators alive at once, new points of the same and of other shapes.
CALL_A, CALL_B, CALL_C = (3.0, 4.0, 5.0), (2.0, 6.0, 4.5), tuple(float(v) for v in range(0, 9))
CALLS = (  # (key, which D, points, what the feedback calls it)
    ("first", "D1", CALL_A, "the first call D(x)"),
    ("other", "D2", CALL_A, "a second discriminator, built with p_data and p_g swapped,"),
    ("same_shape", "D1", CALL_B, "a later call of D on new points of the same shape"),
    ("new_shape", "D1", CALL_C, "a later call of D on 9 new points"),
    ("again", "D1", CALL_A, "D called again on the first points"),
)
DENSITIES_OF = {"D1": (normal(3), normal(5)), "D2": (normal(5), normal(3))}
GRAD_X = (2.0, 2.5, 3.0, 3.5, 4.25, 5.0, 5.5, 6.0)  # densities above 4e-3: gradients well conditioned
GRAD_W = (1.0, -0.5, 2.0, 1.5, -1.0, 0.75, 1.25, -2.0)


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
    out.update({name: run_case(fn, case) for name, case in BASIC_CASES.items()})
    return out


@probe
def values(fn, seed):
    return {name: run_case(fn, case) for name, case in VALUE_CASES.items()}


@probe
def tails(fn, seed):
    return {name: run_case(fn, case) for name, case in {**TAIL_CASES, **FLOAT32_CASES}.items()}


@probe
def calls(fn, seed):
    made = {}
    for name, (p_data, p_g) in DENSITIES_OF.items():
        made[name], trouble = build(fn, p_data, p_g)
        if made[name] is None:
            return trouble
    return {key: capture(lambda d=made[which], x=x: d(torch.tensor(x, dtype=F64)))
            for key, which, x, _ in CALLS}


@probe
def gradients(fn, seed):
    x = torch.tensor(GRAD_X, dtype=F64, requires_grad=True)
    mu_g = torch.tensor(5.0, dtype=F64, requires_grad=True)
    D, trouble = build(fn, normal(3), normal(mu_g))
    if D is None:
        return trouble
    value = capture(lambda: D(x))
    d = value.get("result")
    backward_if_possible(d, x, torch.tensor(GRAD_W, dtype=F64))
    return {**value, "x_grad": x.grad, "mu_grad": mu_g.grad}


@probe
def device(fn, seed):
    x = torch.linspace(-2.0, 9.0, 11, dtype=F64)
    return run_on_device(lambda move: fn(normal(3), normal(5))(move(x)))
