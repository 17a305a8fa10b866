"""Hidden checks of exercise c2, add_noise(x0, t, noise_schedule, noise=None).

With the noise given, x_t is deterministic and is compared with alpha_bar computed by an
explicit loop of products (independent of torch.cumprod), and with known wrong formulas
to name the mistake. With noise=None the returned noise is tested as a distribution
(grader.check.stats) and x_t must be built from exactly that noise.
"""

import torch

from grader.check import expect
from grader.check import stats
from grader.sandbox.device_spy import run_on_device
from grader.sandbox.probing import backward_if_possible, capture, seeded
from grader.check.suite import Fail, Suite
from grader.check.wire import TensorValue

suite = Suite(function="add_noise")
F64, F32 = torch.float64, torch.float32
T = 20
BETAS = torch.linspace(0.01, 0.3, T, dtype=F64)  # large betas: neighbouring steps differ visibly
# (shape, dtype, t): int t, per-sample t with 0 and T-1, batch 1, 4-D with W == B (broadcast trap)
CASES = [((4, 3), F64, [0, 5, T - 1, 10]), ((1, 2, 3, 3), F32, 7), ((4, 3, 2, 4), F32, [0, T - 1, 3, 12]),
         ((3, 6), F64, 0), ((5,), F64, [1, 2, 3, 4, 5])]
FRESH_SHAPE = (2000, 10)


def case_inputs(i):
    shape, dtype, t = CASES[i]
    g = seeded(100 + i)
    x0 = torch.randn(shape, generator=g, dtype=F64).to(dtype)
    noise = torch.randn(shape, generator=g, dtype=F64).to(dtype)
    t = torch.tensor(t) if isinstance(t, list) else t
    return x0, t, BETAS.to(dtype), noise


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


# --- probes: run in the student's process ----------------------------------------------

@suite.probe
def given_noise(add_noise):
    out = {}
    for i in range(len(CASES)):
        x0, t, betas, noise = case_inputs(i)
        out[f"case{i}"] = capture(lambda: add_noise(x0, t, betas, noise))  # noqa: B023 - called at once
        out[f"inputs{i}"] = (x0, betas, noise)
    return out


@suite.probe
def fresh_noise(add_noise):
    x0 = torch.randn(FRESH_SHAPE, generator=seeded(7), dtype=F64)
    t = torch.randint(0, T, (FRESH_SHAPE[0],), generator=seeded(8))
    return {"first": add_noise(x0.clone(), t, BETAS.clone()), "second": add_noise(x0.clone(), t, BETAS.clone())}


@suite.probe
def gradients(add_noise):
    x0, t, betas, noise = case_inputs(0)
    x0.requires_grad_()
    result = add_noise(x0, t, betas, noise)
    x_t = result[0] if isinstance(result, tuple) and result else result
    backward_if_possible(x_t, x0, torch.ones(x0.shape, dtype=F64))
    return {"grad": x0.grad}


@suite.probe
def device(add_noise):
    x0, t = torch.randn(3, 2, 4, generator=seeded(9), dtype=F64), torch.tensor([0, 4, T - 1])
    return run_on_device(lambda move: add_noise(move(x0), move(t), move(BETAS)))


# --- verdicts: run in the grader's process ---------------------------------------------

def case_result(out, i):
    """Case i's (x_t, noise), or a Fail naming what went wrong when add_noise raised."""
    entry = out[f"case{i}"]
    if "error" in entry:
        error = entry["error"]
        if "must match the size of tensor" in error:
            raise Fail(f"for {describe_case(i)} add_noise raised {error}: a per-sample alpha_bar of shape (B,) "
                       "was broadcast against the last dimension of x0", "broadcast-wrong-dim")
        raise Fail(f"for {describe_case(i)} add_noise raised {error}")
    return unpack(entry.get("result"), describe_case(i))


def unpack(result, what):
    if not (isinstance(result, (tuple, list)) and len(result) == 2):
        raise Fail(f"{what}: add_noise should return a pair (x_t, noise), but it returned {expect.kind_of(result)}")
    return result


def describe_case(i):
    shape, dtype, t = CASES[i]
    return f"x0 of shape {shape} ({str(dtype)[6:]}), t = {t}"


@suite.check(given_noise, points=1, public=True)
def returns_pair_shaped_like_x0(out, ref):
    """returns (x_t, noise), both shaped like x0 with its dtype"""
    for i, (shape, dtype, _) in enumerate(CASES):
        x_t, noise = case_result(out, i)
        expect.tensor(x_t, f"x_t for {describe_case(i)}", shape=shape, dtype=str(dtype)[6:])
        expect.tensor(noise, f"noise for {describe_case(i)}", shape=shape, dtype=str(dtype)[6:])


@suite.check(given_noise, points=3)
def x_t_matches_the_closed_form(out, ref):
    """x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise (int and per-sample t, 2-D/4-D)"""
    for i, (shape, dtype, _) in enumerate(CASES):
        x0, t, _, noise = case_inputs(i)
        x_t, returned = case_result(out, i)
        x_t = expect.tensor(x_t, f"x_t for {describe_case(i)}", shape=shape)
        right, wrong = known_results(x0, t, noise)
        if isinstance(returned, TensorValue) and returned.data is not None and returned.shape == x0.shape:
            wrong["ignores-given-noise"] = known_results(x0, t, returned.data)[0]  # built from other noise
        expect.expect_close(x_t, right, f"x_t for {describe_case(i)}", **tolerance(dtype), mistakes=wrong)


@suite.check(given_noise, points=1)
def uses_and_returns_the_given_noise(out, ref):
    """the noise passed in is the noise returned, and the inputs are left unchanged"""
    for i, (shape, dtype, _) in enumerate(CASES):
        x0, _, betas, noise = case_inputs(i)
        _, returned = case_result(out, i)
        returned = expect.tensor(returned, f"the returned noise for {describe_case(i)}", shape=shape)
        x0_after, betas_after, noise_after = out[f"inputs{i}"]
        expect.unchanged(x0, x0_after, "x0")
        expect.unchanged(betas, betas_after, "noise_schedule")
        expect.unchanged(noise, noise_after, "noise")
        if not expect.close(returned, noise, rtol=0, atol=0):
            raise Fail(f"for {describe_case(i)} the noise you returned is not the noise that was passed in",
                       "ignores-given-noise")


def fresh_pair(out, which):
    x_t, noise = unpack(out[which], "with noise=None")
    return (expect.tensor(x_t, "x_t with noise=None", shape=FRESH_SHAPE, dtype="float64"),
            expect.tensor(noise, "the noise drawn when noise=None", shape=FRESH_SHAPE, dtype="float64"))


@suite.check(fresh_noise, points=2)
def fresh_noise_is_standard_normal(out, ref):
    """with noise=None the noise is N(0, 1), independent across samples, dims and calls"""
    _, first = fresh_pair(out, "first")
    _, second = fresh_pair(out, "second")
    for a, b, where in [(first[0::2], first[1::2], "across the batch"), (first[:, 0::2], first[:, 1::2], "across dimensions"),
                        (first, second, "across two calls")]:
        if not stats.looks_uncorrelated(a, b):
            raise Fail(f"the noise is shared or correlated {where}", "noise-shared")
    ok, distance, limit = stats.looks_standard_normal(first)
    if not ok:
        raise Fail(f"the noise you drew is not N(0, 1): mean {first.mean():.3f}, std {first.std():.3f} "
                   f"(KS distance {distance:.3f} > {limit:.3f})", "noise-not-standard")


@suite.check(fresh_noise, points=1)
def fresh_x_t_uses_the_returned_noise(out, ref):
    """with noise=None, x_t is built from exactly the noise returned"""
    x0 = torch.randn(FRESH_SHAPE, generator=seeded(7), dtype=F64)
    t = torch.randint(0, T, (FRESH_SHAPE[0],), generator=seeded(8))
    x_t, noise = fresh_pair(out, "first")
    right, wrong = known_results(x0, t, noise)
    if expect.close(x_t, right, rtol=1e-9, atol=1e-12) or expect.first_match(x_t, wrong):
        return  # a wrong formula is reported by the closed-form check
    raise Fail("x_t does not match the noise you returned: draw the noise once, use it, and return it",
               "returned-noise-not-used")


@suite.check(gradients, points=1)
def gradient_flows_to_x0(out, ref):
    """gradients flow from x_t back to x0 (d x_t / d x0 = sqrt(alpha_bar_t))"""
    x0, t, _, _ = case_inputs(0)
    grad = out["grad"]
    if grad is None:
        raise Fail("no gradient reaches x0 from x_t", "x0-detached")
    expected = per_sample(alpha_bars(BETAS), t, x0).sqrt().expand_as(x0)
    expect.expect_close(expect.tensor(grad, "d x_t / d x0"), expected, "d x_t / d x0", rtol=1e-9)


@suite.check(device, points=1)
def result_on_inputs_device(out, ref):
    """works on x0's device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(out, "(x_t, noise)")
