"""Hidden checks of exercise c14, ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None).

The model handed to the student's code is the exact eps of Gaussian data N(2, 3^2), affine in
x_t; its coefficients are derived again on this side (grader.check.gaussian, alpha_bar as an
explicit running product), so with the noise given (or eta = 0) the step's output is known
exactly. When it differs, known wrong steps (alpha_bar at index 0 for t_prev = -1, sigma without
eta or without its first factor, the direction term without sigma^2, alpha_t for alpha_bar_t, a
clipped x0, t - 1) are evaluated on the same inputs, and a mistake is named only when it gives
the student's output in every wrong case. Formulas are judged to 1e-5 (float32 buffers err
~1e-7). At eta = 0 no noise may be drawn: the probe reports whether torch's global random state
moved during the call (an observation made in the sandbox). With eta = 1 and noise=None the
noise is recovered, z = (x_prev - deterministic part) / sigma, and tested as a fresh standard
normal (grader.check.stats, each test <= 1e-8, at most 8 here).
At eta = 1 on a float32 schedule whose first beta is 1e-5 (t = T-1 to t_prev = 0) the direction's
radicand 1 - ab_prev - sigma^2 is ~2e-13, and computed as ermongroup/ddim writes it, it rounds to
-9e-13 (whatever the seed: it does not depend on x_t): without the clamp the output is NaN. The
step keeps its graph: the probe backpropagates in the sandbox, and d x_prev / d x_t is compared
with autograd through the step computed here (eta = 0, and eta = 0.5 with the noise given).
"""

import pytest
import torch

from grader.check import expect, stats
from grader.check.diffusion import (fresh_noise_failure, recorded_step_verdict, seeded_runs_verdict,
                                    t_device_verdict)
from grader.check.expect import mistake
from grader.check.gaussian import alpha_bars, eps_affine

from grader.sandbox.diffusion_probes import BETAS, DATA_MEAN, DATA_STD, SEEDS_SHAPE, fresh_shape, inputs

from .probes import CLAMP, CLAMP_BETAS, F32, F64, FRESH, GRADIENT_CASES, given_cases

AB = alpha_bars(BETAS)
ONE = torch.ones((), dtype=F64)


def tolerance(dtype):
    return {"rtol": 1e-4, "atol": 1e-5} if dtype == F32 else {"rtol": 1e-5, "atol": 1e-6}  # float32 buffers: ~1e-7 absolute


def eps_at(x, t, betas=BETAS):
    c, d = eps_affine(betas, t, DATA_MEAN, DATA_STD)
    return c * x + d


def ddim(x, z, t, t_prev, eta, ab_t=None, ab_prev=None, clip=False, sigma_factor=True, direction_sigma=True,
         betas=BETAS):
    """The DDIM step, right by default; each keyword turns one known mistake on."""
    ab = alpha_bars(betas)
    ab_t = ab[t] if ab_t is None else ab_t
    ab_prev = (ab[t_prev] if t_prev >= 0 else ONE) if ab_prev is None else ab_prev
    eps = eps_at(x, t, betas)
    x0 = (x - (1 - ab_t).sqrt() * eps) / ab_t.sqrt()
    x0 = x0.clamp(-1, 1) if clip else x0
    sigma = eta * (1 - ab_t / ab_prev).clamp(min=0).sqrt()
    sigma = sigma * ((1 - ab_prev) / (1 - ab_t)).sqrt() if sigma_factor else sigma
    direction = (1 - ab_prev - (sigma**2 if direction_sigma else 0)).clamp(min=0).sqrt()
    return ab_prev.sqrt() * x0 + direction * eps + sigma * z, sigma


def right(x, z, case):
    _, _, t, t_prev, eta = case
    return ddim(x, z, t, t_prev, eta)[0]


def step_gradient(x, z, case):
    """d sum(x_prev) / d x_t, by autograd through the step above (eps is affine in x_t)."""
    x = x.clone().requires_grad_()
    right(x, z, case).sum().backward()
    return x.grad


def known_steps(x, z, case):
    _, _, t, t_prev, eta = case
    wrong = {
        "eta-ignored": ddim(x, z, t, t_prev, 1.0)[0],
        "sigma-formula": ddim(x, z, t, t_prev, eta, sigma_factor=False)[0],
        "direction-ignores-sigma": ddim(x, z, t, t_prev, eta, direction_sigma=False)[0],
        "alpha-for-alpha-bar": ddim(x, z, t, t_prev, eta, 1 - BETAS.to(F64)[t],
                                    1 - BETAS.to(F64)[t_prev] if t_prev >= 0 else ONE)[0],
        "x0-clipping": ddim(x, z, t, t_prev, eta, clip=True)[0],
        "one-based-t": tuple(ddim(x, z, t, t_prev, eta, AB[t - 1], p)[0]
                             for p in ((AB[t_prev - 1] if t_prev >= 1 else ONE), AB[t_prev - 1])),
    }
    if t_prev == -1:
        wrong["t-prev-minus-one"] = tuple(ddim(x, z, t, t_prev, eta, ab_prev=p)[0] for p in (AB[0], AB[-1]))
    return wrong


def describe(case):
    shape, dtype, t, t_prev, eta = case
    return f"x_t of shape {shape} ({str(dtype)[6:]}), t = {t}, t_prev = {t_prev}, eta = {eta:g}"


def output(entry, shape):
    return expect.judgeable(expect.returned(entry), "a tensor shaped like x_t", shape=shape)


def judge_cases(given, seed, keep):
    """Fail, naming the mistake the evidence singles out, unless the cases `keep` selects are right."""
    wrong = []
    for i, case in enumerate(given_cases(seed)):
        if not keep(case):
            continue
        got = output(given[f"case{i}"], case[0])
        x, z = (v.to(F64) for v in inputs(case[0], case[1], seed + 10 + i))
        want = right(x, z, case)
        if not expect.close(got, want, **tolerance(case[1])):
            wrong.append((got, want, known_steps(x, z, case), describe(case)))
    return wrong


def fail_with(wrong, extra=None):
    got, want, _, what = wrong[0]
    mistake(extra or expect.explained_by([(g, k) for g, _, k, _ in wrong]), f"x_prev for {what}: {expect.differ(got, want)}")


# --- the public check ---------------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_tensor_like_x_t(given, seed):
    """returns a tensor shaped like x_t, in its dtype (batch 1, (B, D) and image batches, float32/64)"""
    for i, case in enumerate(given_cases(seed)):
        value = expect.returned(given[f"case{i}"])
        if value is None:
            mistake("no-return", f"for {describe(case)} your function returned None: end it with `return x_prev`")
        expect.tensor(value, f"x_prev for {describe(case)}", shape=case[0], dtype=str(case[1])[6:])


# --- the model's call ------------------------------------------------------------------------------

@pytest.mark.points(1)
def test_model_called_once_with_t_per_sample(given, seed):
    """eps_model is called once, on x_t, with t as a LongTensor (B,) filled with t; the inputs are left unchanged"""
    for i, case in enumerate(given_cases(seed)):
        recorded_step_verdict(given[f"case{i}"], *case[:3], seed + 10 + i, describe(case))


# --- the values -----------------------------------------------------------------------------------

@pytest.mark.points(1)
def test_deterministic_step_at_eta_0(given, seed):
    """eta = 0: x_prev = sqrt(ab_prev) x0_pred + sqrt(1 - ab_prev) eps, x0_pred = (x_t - sqrt(1 - ab_t) eps) / sqrt(ab_t)"""
    wrong = judge_cases(given, seed, lambda c: c[4] == 0 and c[3] >= 0)
    if wrong:
        fail_with(wrong)


@pytest.mark.points(1)
def test_stochastic_step_with_the_noise_given(given, seed):
    """eta > 0, noise given: sigma = eta sqrt((1 - ab_prev) / (1 - ab_t)) sqrt(1 - ab_t / ab_prev), direction sqrt(1 - ab_prev - sigma^2)"""
    wrong = judge_cases(given, seed, lambda c: c[4] > 0 and c[3] >= 0)
    if not wrong:
        return
    name = expect.explained_by([(g, k) for g, _, k, _ in wrong])
    cases = given_cases(seed)
    again, first = (expect.reading(expect.returned(given[k]), cases[3][0]) for k in ("again", "case3"))
    if name is None and again is not None and first is not None and not torch.equal(again, first):
        name = "ignores-given-noise"
    fail_with(wrong, name)


@pytest.mark.points(1)
def test_t_prev_minus_one_means_alpha_bar_one(given, seed):
    """t_prev = -1 is the clean end: ab_prev = 1 (not alpha_bar at index 0), so x_prev = x0_pred"""
    wrong = judge_cases(given, seed, lambda c: c[3] == -1)
    if wrong:
        fail_with(wrong)


@pytest.mark.points(1)
def test_direction_clamped_at_eta_1(clamp, given, seed):
    """eta = 1 where 1 - ab_prev - sigma^2 is ~1e-13: it is clamped at 0 before the square root (float32 rounding can make it negative)"""
    if judge_cases(given, seed, lambda c: c[4] > 0 and c[3] >= 0):
        expect.not_judged("the step is not yet right with the noise given (see its check)")
    shape, dtype, t, t_prev, eta = CLAMP
    got = output(clamp, shape)
    x, z = (v.to(F64) for v in inputs(shape, dtype, seed + 70))
    want = ddim(x, z, t, t_prev, eta, betas=CLAMP_BETAS.to(F64))[0]
    if expect.close(got, want, **tolerance(dtype)):
        return
    nan = bool(torch.isnan(got).any())
    mistake("direction-not-clamped" if nan else None, f"x_prev for {describe(CLAMP)}, a float32 schedule whose first "
            f"beta is 1e-5: {expect.differ(got, want)}" + ("; there 1 - ab_prev - sigma^2 is about 1e-13 and rounding "
            "can make it negative: clamp it at 0 before the square root" if nan else ""))


@pytest.mark.points(1)
def test_gradient_flows_to_x_t(gradients, seed):
    """the step keeps its graph: d x_prev / d x_t is right at eta = 0 and at eta = 0.5 with the noise given"""
    for i, (t, t_prev, eta) in enumerate(GRADIENT_CASES):
        entry, case = gradients[f"case{i}"], ((4, 3), F64, t, t_prev, eta)
        x, z = (v.to(F64) for v in inputs((4, 3), F64, seed + 60 + i))
        if not expect.close(output(entry, (4, 3)), right(x, z, case), **tolerance(F64)):
            expect.not_judged("the step is not yet right (see its checks); its gradient is judged once it is")
        if entry["grad"] is None:
            mistake("output-detached", f"x_prev for {describe(case)} has the right values but no gradient reaches "
                    "x_t: keep the computation in torch, without .detach(), .data or torch.no_grad()")
        grad, want = expect.judgeable(entry["grad"], "a gradient", shape=(4, 3)), step_gradient(x, z, case)
        if not expect.close(grad, want, rtol=1e-6, atol=1e-9):
            mistake(None, f"d x_prev / d x_t for {describe(case)}: {expect.differ(grad, want)}")


@pytest.mark.points(1)
def test_no_noise_drawn_at_eta_0(eta_zero, seed):
    """eta = 0 draws no noise: torch's global random state is left as it was"""
    shape, case = (50, 2), ((50, 2), F64, 7, 3, 0.0)
    got = output(eta_zero, shape)
    x, _ = (v.to(F64) for v in inputs(shape, F64, seed + 20))
    if not expect.close(got, right(x, torch.zeros_like(x), case), **tolerance(F64)):
        expect.not_judged("the step at eta = 0 is not yet right (see its check)")
    if eta_zero["state_moved"]:
        mistake("noise-drawn-at-eta-0", "at eta = 0 with noise=None your step returned the right x_prev but drew random "
                "numbers (torch's global random state moved): draw noise only when eta > 0, as the contract asks "
                "(lucidrains' ddim_sample draws it always and multiplies it by sigma = 0)")


@pytest.mark.points(1)
def test_fresh_noise_at_eta_1(fresh, seeds, given, seed):
    """eta = 1, noise=None: z = (x_prev - deterministic part) / sigma is a fresh N(0, 1) that follows torch.manual_seed"""
    if judge_cases(given, seed, lambda c: c[4] > 0 and c[3] >= 0):
        expect.not_judged("the step is not yet right with the noise given (see its check), so the noise it draws "
                          "cannot be recovered")
    shape = fresh_shape(seed)
    x, _ = (v.to(F64) for v in inputs(shape, F64, seed + 30))
    det, sigma = ddim(x, torch.zeros_like(x), *FRESH)
    first, second = ((output(fresh[k], shape) - det) / sigma for k in ("call1", "call2"))
    stats.require_finite(first, second, what="the outputs")
    seeded_runs_verdict(seeds, SEEDS_SHAPE, "noise")
    failure = fresh_noise_failure(first, second)
    if failure:
        mistake(None, f"with eta = 1 and noise=None, the noise drawn is not a fresh N(0, 1): {failure}")


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on x_t's device: the result, and the t passed to eps_model, live there"""
    t_device_verdict(device, "x_prev", "x_t")
