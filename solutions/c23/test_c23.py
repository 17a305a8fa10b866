"""Hidden checks of exercise c23, langevin_step(energy, x, step_size, noise=None).

The energy is E(x) = sum of a (x - m)^2 / 2 + b log cosh(x), rebuilt here from the run's seed,
so its gradient a (x - m) + b tanh(x) is known in closed form (independent of autograd). With
the noise given the step is exact (a second call with the same noise must return the same
x_new, else the noise given was not the noise used). A wrong
step is compared with known wrong formulas, named only when one explains every wrong case.
With noise=None, z = (x_new - x + (h/2) grad) / sqrt(h) is recovered and tested (judged once
the step with noise given is right), each test failing a correct solution with probability at
most 1e-8 (grader.check.stats): Kolmogorov-Smirnov against N(0, 1), the mass beyond 2 and 3
sigma, repeated values, rows and columns uncorrelated (1e-9 each), serial structure (8 lags,
1e-9 each), values shared with a second call, correlation with it (1e-9), and with a call
under another torch.manual_seed; the same seed must give the same draw. About 10 tests: a
correct solution fails a run with probability below 1e-7.
"""

from __future__ import annotations

import math

import pytest
import torch

from grader.check import expect, stats
from grader.check.expect import mistake
from grader.check.wire import TensorValue

from .probes import F32, F64, FRESH_SHAPE, FRESH_STEP, case_inputs, cases, fresh_inputs

TOL = {F64: {"rtol": 1e-6, "atol": 1e-7}, F32: {"rtol": 1e-5, "atol": 1e-5}}


def gradient(energy, x: torch.Tensor) -> torch.Tensor:
    """grad E(x) in closed form, in float64."""
    a, m, b = (p.detach().to(F64) for p in (energy.a, energy.m, energy.b))
    x = x.to(F64)
    return a * (x - m) + b * torch.tanh(x)


def steps(energy, x, h, noise) -> dict[str, torch.Tensor | tuple]:
    """The right step, then what each known wrong one gives, for these inputs (float64)."""
    g, x, z = gradient(energy, x), x.to(F64), noise.to(F64)
    root = math.sqrt(h)
    moved = x + root * z
    return {
        "right": x - h / 2 * g + root * z,
        "gradient-ascent": x + h / 2 * g + root * z,
        "full-step": x - h * g + root * z,
        "noise-scale-h": x - h / 2 * g + h * z,
        "mean-energy": x - h / 2 * g / x.shape[0] + root * z,
        "noise-before-gradient": moved - h / 2 * gradient(energy, moved),
        "step-convention": x - h * g + math.sqrt(2 * h) * z,
    }


def step_of(entry: dict, shape) -> torch.Tensor:
    return expect.judgeable(expect.returned(entry), f"a tensor shaped like x, {tuple(shape)}", shape=shape)


def judge_given(given: dict, seed: int) -> None:
    """Fail on the first case whose step with noise given is wrong, naming the mistake that explains them all."""
    wrong = []
    for i, (shape, dtype, h) in enumerate(cases(seed)):
        energy, x, noise = case_inputs(i, seed)
        out1, out2 = step_of(given[f"case{i}"], shape), step_of(given[f"repeat{i}"], shape)
        if not torch.equal(out1, out2):
            mistake("noise-ignored", f"for step_size {h} and x of shape {shape}, two calls with the same x and the "
                    "same `noise` returned different x_new: use `noise` when it is given (draw "
                    "z = torch.randn_like(x) only when noise is None)")
        known = steps(energy, x, h, noise)
        right = known.pop("right")
        if not expect.close(out1, right, **TOL[dtype]):
            wrong.append((out1, right, known, f"step_size {h}, x of shape {shape} ({str(dtype)[6:]})"))
    if wrong:
        got, right, _, what = wrong[0]
        mistake(expect.explained_by([(g, k) for g, _, k, _ in wrong], rtol=1e-4, atol=1e-5),
                f"x_new with the noise given, for {what}: {expect.differ(got, right)}")


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_tensor_like_x(given, seed):
    """returns a tensor with x's shape and dtype"""
    for i, (shape, dtype, _) in enumerate(cases(seed)):
        value = expect.returned(given[f"case{i}"])
        if value is None:
            mistake("no-return", "your function returned None: end it with `return x_new`")
        expect.tensor(value, f"x_new for x of shape {shape}", shape=shape, dtype=str(dtype)[6:])


@pytest.mark.points(2)
def test_step_with_noise_given(given, seed):
    """with the noise given: x - (h/2) grad E(x) + sqrt(h) noise, batches of several samples, 2-D and 4-D"""
    judge_given(given, seed)


@pytest.mark.points(1)
def test_no_graph_on_the_result(given, leaf, seed):
    """x_new carries no autograd graph, also when x requires grad"""
    entries = [(given[f"case{i}"], "x") for i in range(len(cases(seed)))] + [(leaf, "x that requires grad")]
    for entry, what in entries:
        value = expect.returned(entry)
        expect.judgeable(value, "a tensor")
        if isinstance(value, TensorValue) and value.requires_grad:
            mistake("graph-kept", f"for {what}, x_new requires grad: it still hangs on the graph of the energy "
                    "(a sampler run for many steps would keep every step's graph); return x_new.detach()")


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_x_unchanged(given, leaf, seed):
    """leaves x unchanged: its values, and whether it requires grad"""
    for i, (_, _, h) in enumerate(cases(seed)):
        expect.judgeable(expect.returned(given[f"case{i}"]), "a tensor")  # no points for code that returns nothing
        _, x, _ = case_inputs(i, seed)
        after = given[f"x{i}"]
        if isinstance(after, TensorValue) and after.requires_grad:
            mistake("x-requires-grad-changed", "after your function returned, the caller's x requires grad: "
                    "x.requires_grad_() changed the caller's tensor; differentiate a copy, "
                    "x.detach().requires_grad_(True)")
        expect.unchanged(x, after, "x")
    expect.unchanged(case_inputs(0, seed)[1], leaf["x"], "x")


@pytest.mark.points(1)
def test_energy_parameters_get_no_grad(given, leaf, seed):
    """the energy's parameters get no .grad (and keep the gradients the caller put there)"""
    expect.judgeable(expect.returned(given["case0"]), "a tensor")
    for i in range(len(cases(seed))):
        if any(g is not None for g in given[f"grads{i}"]):
            mistake("energy-params-grad", "after your function returned, the energy's parameters hold a .grad: "
                    "backward() differentiates with respect to every parameter too; use "
                    "torch.autograd.grad(energy(x).sum(), x) to differentiate with respect to x only")
    for g in leaf["grads"]:
        if g is None or g.data is None or not torch.equal(g.data, torch.ones_like(g.data)):
            mistake("energy-params-grad", "the gradients a caller had accumulated in the energy's parameters were "
                    "changed (added to, zeroed or removed) by your step: differentiate with respect to x only, "
                    "with torch.autograd.grad(energy(x).sum(), x)")


@pytest.mark.points(1)
def test_works_under_no_grad(no_grad, given, seed):
    """works when called inside torch.no_grad() (a sampler usually is)"""
    error = no_grad.get("error") or {}
    if "grad" in str(error.get("message", "")):
        mistake("fails-under-no-grad", f"called inside torch.no_grad() your function raised {error.get('type')}: "
                f"{str(error.get('message'))[:150]}; wrap the gradient in `with torch.enable_grad():`")
    shape, dtype, h = cases(seed)[2]
    energy, x, noise = case_inputs(2, seed)
    got, right = step_of(no_grad, shape), steps(energy, x, h, noise)["right"]
    given_right = expect.close(step_of(given["case2"], shape), right, **TOL[dtype])
    if not expect.close(got, right, **TOL[dtype]):
        if given_right:
            mistake("fails-under-no-grad", f"inside torch.no_grad() your step gives {expect.differ(got, right)}, "
                    "although it is right outside: compute the gradient under `with torch.enable_grad():`")
        expect.not_judged("your step is not right yet outside torch.no_grad() either (see the check with the noise given)")


def recovered(entry: dict, seed: int) -> torch.Tensor:
    """z = (x_new - x + (h/2) grad) / sqrt(h) of a call with noise=None."""
    energy, x = fresh_inputs(seed)
    out = step_of(entry, FRESH_SHAPE)
    z = (out - x + FRESH_STEP / 2 * gradient(energy, x)) / math.sqrt(FRESH_STEP)
    stats.require_finite(z, what="the noise recovered from x_new")
    return z


def fresh_judgeable(given: dict, seed: int) -> None:
    try:
        judge_given(given, seed)
    except AssertionError:
        expect.not_judged("your step with the noise given is not right yet (see that check), so the noise your code "
                          "draws cannot be recovered from x_new")


@pytest.mark.points(1)
def test_fresh_noise_is_standard_normal(fresh, given, seed):
    """with noise=None, the noise recovered from x_new is N(0, 1), independent across samples and dims"""
    fresh_judgeable(given, seed)
    z = recovered(fresh["first"], seed)
    if stats.has_constant_column(z):
        mistake("noise-shared-batch", "the noise recovered from x_new is the same for every sample of the batch: "
                "draw it shaped like x (torch.randn_like(x))")
    ok, distance, limit = stats.looks_standard_normal(z)
    if not ok:
        named = "noise-uniform" if z.min() >= -1e-9 and z.max() <= 1 + 1e-9 else None
        mistake(named, f"the noise recovered from x_new is not N(0, 1): mean {z.mean():.3f}, std {z.std():.3f} "
                f"(KS distance {distance:.3f} > {limit:.3f})")
    tails = stats.tails_mismatch(z)
    if tails:
        mistake(None, f"the noise recovered from x_new has the wrong tails: {tails}")
    repeats = stats.too_many_repeats(z)
    if repeats:
        mistake(None, f"{repeats} values of the recovered noise repeat other values of the same draw")
    if not (stats.looks_uncorrelated(z[0::2], z[1::2]) and stats.looks_uncorrelated(z[:, 0::2], z[:, 1::2])):
        mistake(None, "the recovered noise is correlated across samples or across dimensions")
    serial = stats.serial_correlation(z)
    if serial:
        mistake(None, f"the recovered noise correlates with itself {serial[0]} values apart (r = {serial[1]:.3f})")


@pytest.mark.points(1)
def test_noise_fresh_on_every_call(fresh, given, seed):
    """with noise=None, every call draws new noise, and torch.manual_seed reproduces it"""
    fresh_judgeable(given, seed)
    first, second = recovered(fresh["first"], seed), recovered(fresh["second"], seed)
    if stats.has_constant_column(first):
        expect.not_judged("one draw of noise serves every sample (see the check of the noise's distribution)")
    shared = stats.too_many_shared(first, second)
    if shared or not stats.looks_uncorrelated(first, second):
        what = f"{shared} of its values" if shared else "noise correlated with the first call's"
        mistake("noise-not-fresh", f"a second call on the same x drew {what}: draw new noise on every call "
                "(no cached or stored noise)")
    runs = {name: recovered(fresh["seeded"][name], seed) for name in ("first", "again", "other")}
    if not torch.allclose(runs["first"], runs["again"], rtol=0, atol=1e-9):
        mistake("noise-ignores-seed", "two calls after the same torch.manual_seed(...) drew different noise: draw "
                "from torch's global generator (torch.randn_like(x)), not a private one")
    if stats.too_many_shared(runs["first"], runs["other"]) or not stats.looks_uncorrelated(runs["first"], runs["other"]):
        mistake("noise-not-fresh", "calls after two different torch.manual_seed(...) drew the same noise")


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "x_new")
