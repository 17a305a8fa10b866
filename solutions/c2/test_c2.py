"""Hidden checks of exercise c2, add_noise(x0, t, noise_schedule, noise=None).

With the noise given, x_t is deterministic and is compared with alpha_bar computed by an
explicit loop of products (independent of torch.cumprod), and with known wrong formulas
to name the mistake. With noise=None the returned noise is tested as a distribution
(grader.check.stats) and x_t must be built from exactly that noise.
"""

import pytest
import torch

from grader.check import expect, stats
from grader.check.expect import Mistake
from grader.check.wire import TensorValue

from .probes import BETAS, CASES, F32, F64, FRESH_SHAPE, case_inputs, fresh_inputs


def alpha_bars(betas):
    """alpha_bar_t for t = 0..T-1 by an explicit running product (the independent oracle)."""
    out, running = [], 1.0
    for beta in betas.tolist():
        running *= 1.0 - beta
        out.append(running)
    return torch.tensor(out, dtype=F64)


def per_sample(values, t, x0):
    """values[t] as one coefficient per sample, broadcast over x0's other dims."""
    picked = values[torch.as_tensor(t)]
    return picked.reshape(-1, *([1] * (x0.dim() - 1)))


def known_results(x0, t, noise):
    """The correct x_t, then the x_t each known mistake produces, all in float64."""
    x0, noise = x0.to(F64), noise.to(F64)
    ab = alpha_bars(BETAS)
    a = per_sample(ab, t, x0)
    shifted = per_sample(torch.cat([ab[-1:], ab[:-1]]), t, x0)  # ab[t-1], t = 0 wrapping to the last
    single = per_sample(1 - BETAS, t, x0)
    betas_prod = per_sample(torch.cumprod(BETAS, 0), t, x0)
    right = a.sqrt() * x0 + (1 - a).sqrt() * noise
    wrong = {
        "one-based-t": shifted.sqrt() * x0 + (1 - shifted).sqrt() * noise,
        "missing-sqrt": a * x0 + (1 - a) * noise,
        "single-step": single.sqrt() * x0 + (1 - single).sqrt() * noise,
        "cumprod-of-betas": betas_prod.sqrt() * x0 + (1 - betas_prod).sqrt() * noise,
        "noise-coefficient": a.sqrt() * x0 + (1 - a.sqrt()) * noise,
    }
    if torch.as_tensor(t).dim() == 1 and x0.dim() > 1 and x0.shape[-1] == x0.shape[0]:
        last = ab[torch.as_tensor(t)]
        wrong["broadcast-wrong-dim"] = last.sqrt() * x0 + (1 - last).sqrt() * noise
    return right, wrong


def tolerance(dtype):
    return {"rtol": 1e-4, "atol": 1e-5} if dtype == F32 else {"rtol": 1e-9, "atol": 1e-12}


def case_result(out, i):
    """Case i's (x_t, noise), or a Fail naming what went wrong when add_noise raised."""
    entry = out[f"case{i}"]
    if "error" in entry and "must match the size of tensor" in entry["error"]["message"]:
        raise Mistake("broadcast-wrong-dim", f"for {describe_case(i)} add_noise raised "
                      f"{entry['error']['type']}: {entry['error']['message']}: a per-sample alpha_bar of shape (B,) "
                      "was broadcast against the last dimension of x0")
    return unpack(expect.returned(entry), describe_case(i))


def unpack(result, what):
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise Mistake(None, f"{what}: add_noise should return a pair (x_t, noise), but it returned {expect.kind_of(result)}")
    return result


def describe_case(i):
    shape, dtype, t = CASES[i]
    return f"x0 of shape {shape} ({str(dtype)[6:]}), t = {t}"


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_pair_shaped_like_x0(given_noise):
    """returns (x_t, noise), both shaped like x0 with its dtype"""
    for i, (shape, dtype, _) in enumerate(CASES):
        x_t, noise = case_result(given_noise, i)
        expect.tensor(x_t, f"x_t for {describe_case(i)}", shape=shape, dtype=str(dtype)[6:])
        expect.tensor(noise, f"noise for {describe_case(i)}", shape=shape, dtype=str(dtype)[6:])


@pytest.mark.points(3)
def test_x_t_matches_the_closed_form(given_noise, seed):
    """x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise (int and per-sample t, 2-D/4-D)"""
    for i, (shape, dtype, _) in enumerate(CASES):
        x0, t, _, noise = case_inputs(i, seed)
        x_t, returned = case_result(given_noise, i)
        x_t = expect.tensor(x_t, f"x_t for {describe_case(i)}", shape=shape)
        right, wrong = known_results(x0, t, noise)
        if isinstance(returned, TensorValue) and returned.data is not None and returned.shape == x0.shape:
            wrong["ignores-given-noise"] = known_results(x0, t, returned.data)[0]  # built from other noise
        expect.expect_close(x_t, right, f"x_t for {describe_case(i)}", **tolerance(dtype), mistakes=wrong)


@pytest.mark.points(1)
def test_uses_and_returns_the_given_noise(given_noise, seed):
    """the noise passed in is the noise returned, and the inputs are left unchanged"""
    for i, (shape, dtype, _) in enumerate(CASES):
        x0, _, betas, noise = case_inputs(i, seed)
        _, returned = case_result(given_noise, i)
        returned = expect.tensor(returned, f"the returned noise for {describe_case(i)}", shape=shape)
        x0_after, betas_after, noise_after = given_noise[f"inputs{i}"]
        expect.unchanged(x0, x0_after, "x0")
        expect.unchanged(betas, betas_after, "noise_schedule")
        expect.unchanged(noise, noise_after, "noise")
        if not expect.close(returned, noise, rtol=0, atol=0):
            raise Mistake("ignores-given-noise", f"for {describe_case(i)} the noise you returned is not the noise that was passed in")


def fresh_pair(out, which):
    x_t, noise = unpack(out[which], "with noise=None")
    return (expect.tensor(x_t, "x_t with noise=None", shape=FRESH_SHAPE, dtype="float64"),
            expect.tensor(noise, "the noise drawn when noise=None", shape=FRESH_SHAPE, dtype="float64"))


@pytest.mark.points(2)
def test_fresh_noise_is_standard_normal(fresh_noise):
    """with noise=None the noise is N(0, 1), independent across samples, dims and calls"""
    _, first = fresh_pair(fresh_noise, "first")
    _, second = fresh_pair(fresh_noise, "second")
    for a, b, where in [(first[0::2], first[1::2], "across the batch"), (first[:, 0::2], first[:, 1::2], "across dimensions"),
                        (first, second, "across two calls")]:
        if not stats.looks_uncorrelated(a, b):
            raise Mistake("noise-shared", f"the noise is shared or correlated {where}")
    ok, distance, limit = stats.looks_standard_normal(first)
    if not ok:
        raise Mistake("noise-not-standard", f"the noise you drew is not N(0, 1): mean {first.mean():.3f}, std {first.std():.3f} "
                   f"(KS distance {distance:.3f} > {limit:.3f})")


@pytest.mark.points(1)
def test_fresh_x_t_uses_the_returned_noise(fresh_noise, seed):
    """with noise=None, x_t is built from exactly the noise returned"""
    x0, t = fresh_inputs(seed)
    x_t, noise = fresh_pair(fresh_noise, "first")
    right, wrong = known_results(x0, t, noise)
    if expect.close(x_t, right, rtol=1e-9, atol=1e-12) or expect.first_match(x_t, wrong):
        return  # a wrong formula is reported by the closed-form check
    raise Mistake("returned-noise-not-used", "x_t does not match the noise you returned: draw the noise once, use it, and return it")


@pytest.mark.points(1)
def test_gradient_flows_to_x0(gradients, seed):
    """gradients flow from x_t back to x0 (d x_t / d x0 = sqrt(alpha_bar_t))"""
    x0, t, _, _ = case_inputs(0, seed)
    grad = gradients["grad"]
    if grad is None:
        raise Mistake("x0-detached", "no gradient reaches x0 from x_t")
    expected = per_sample(alpha_bars(BETAS), t, x0).sqrt().expand_as(x0)
    expect.expect_close(expect.tensor(grad, "d x_t / d x0"), expected, "d x_t / d x0", rtol=1e-9)


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on x0's device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "(x_t, noise)")
