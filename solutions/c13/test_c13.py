"""Hidden checks of exercise c13, ddpm_reverse_step(eps_model, x_t, t, noise_schedule, noise=None).

The model handed to the student's code is the exact eps of Gaussian data N(2, 3^2), affine in
x_t; its coefficients are derived again on this side (grader.check.gaussian.eps_affine, with
alpha_bar as an explicit running product), so with the noise given the step's output is known
exactly: mean + sqrt(beta_t) z. When it differs, known wrong steps (the posterior variance,
beta_t for its square root, alpha_t for alpha_bar_t, sqrt(alpha_bar_t) in the mean, a clipped
x0, a flipped sign, t - 1) are evaluated on the same inputs, and a mistake is named only when
it gives the student's output in every wrong case. Formulas are judged to 1e-5 (float32 schedule
buffers err ~1e-7). With noise=None the noise is recovered, z = (x_{t-1} - mean) / sqrt(beta_t),
and tested as a fresh standard normal (grader.check.stats, each test <= 1e-8, at most 8 here),
at t = 1, where the posterior variance would give z a standard deviation of 0.69.
The gradient d x_(t-1) / d x_t is judged with the noise given and with noise=None (the probe
backpropagates in the sandbox): the noise term contributes none, so both must equal the mean's;
none or a zero one only with noise=None singles out a sampler that is not reparameterized.
"""

import pytest
import torch

from grader.check import expect, stats
from grader.check.diffusion import (fresh_noise_failure, recorded_step_verdict, seeded_runs_verdict,
                                    t_device_verdict)
from grader.check.expect import mistake
from grader.check.gaussian import alpha_bars, eps_affine

from grader.sandbox.diffusion_probes import BETAS, DATA_MEAN, DATA_STD, SEEDS_SHAPE, fresh_shape, inputs

from .probes import F32, F64, FRESH_T, given_cases

AB = alpha_bars(BETAS)
B64 = BETAS.to(F64)


def tolerance(dtype):
    return {"rtol": 1e-4, "atol": 1e-5} if dtype == F32 else {"rtol": 1e-5, "atol": 1e-6}  # float32 buffers: ~1e-7 absolute


def eps_at(x, t):
    c, d = eps_affine(BETAS, t, DATA_MEAN, DATA_STD)
    return c * x + d


def ab_prev(t):
    return AB[t - 1] if t > 0 else torch.ones((), dtype=F64)


def mean_of(x, t, eps=None, ab=None, alpha=None, beta=None):
    eps = eps_at(x, t) if eps is None else eps
    ab, beta = (AB[t] if ab is None else ab), (B64[t] if beta is None else beta)
    alpha = 1 - beta if alpha is None else alpha
    return (x - beta / (1 - ab).sqrt() * eps) / alpha.sqrt()


def right_step(x, z, t):
    return mean_of(x, t) + (B64[t].sqrt() * z if t > 0 else 0)


def clipped_mean(x, t):
    ab, beta = AB[t], B64[t]
    x0 = ((x - (1 - ab).sqrt() * eps_at(x, t)) / ab.sqrt()).clamp(-1, 1)
    return (ab_prev(t).sqrt() * beta * x0 + (1 - beta).sqrt() * (1 - ab_prev(t)) * x) / (1 - ab)


def known_steps(x, z, t):
    """What each known wrong step returns (t > 0)."""
    beta, ab = B64[t], AB[t]
    mean, sigma_z = mean_of(x, t), beta.sqrt() * z
    posterior = (1 - ab_prev(t)) / (1 - ab) * beta
    shifted = (mean_of(x, t, ab=AB[t - 1], beta=B64[t - 1]), mean_of(x, t, eps_at(x, t - 1), AB[t - 1], beta=B64[t - 1]))
    return {
        "posterior-variance": mean + posterior.sqrt() * z,
        "sigma-is-beta": mean + beta * z,
        "alpha-for-alpha-bar": mean_of(x, t, ab=1 - beta) + sigma_z,
        "mean-sqrt-alpha-bar": mean_of(x, t, alpha=ab) + sigma_z,
        "x0-clipping": clipped_mean(x, t) + sigma_z,
        "eps-sign": mean_of(x, t, eps=-eps_at(x, t)) + sigma_z,
        "one-based-t": tuple(m + B64[t - 1].sqrt() * z for m in shifted),
    }


def describe(shape, dtype, t):
    return f"x_t of shape {shape} ({str(dtype)[6:]}), t = {t}"


def output(entry, shape):
    return expect.judgeable(expect.returned(entry), "a tensor shaped like x_t", shape=shape)


# --- the public check ----------------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_tensor_like_x_t(given, seed):
    """returns a tensor shaped like x_t, in its dtype (batch 1, (B, D) and image batches, float32/64)"""
    for i, (shape, dtype, t) in enumerate(given_cases(seed)):
        value = expect.returned(given[f"case{i}"])
        if value is None:
            mistake("no-return", f"for {describe(shape, dtype, t)} your function returned None: end it with `return x_prev`")
        expect.tensor(value, f"x_(t-1) for {describe(shape, dtype, t)}", shape=shape, dtype=str(dtype)[6:])


# --- the model's call -------------------------------------------------------------------------------

@pytest.mark.points(1)
def test_model_called_once_with_t_per_sample(given, seed):
    """eps_model is called once, on x_t, with t as a LongTensor (B,) filled with t; the inputs are left unchanged"""
    for i, (shape, dtype, t) in enumerate(given_cases(seed)):
        recorded_step_verdict(given[f"case{i}"], shape, dtype, t, seed + 10 + i, describe(shape, dtype, t))


# --- the values with the noise given ----------------------------------------------------------------

@pytest.mark.points(3)
def test_step_with_the_noise_given(given, seed):
    """x_(t-1) = (x_t - beta_t / sqrt(1 - alpha_bar_t) eps) / sqrt(alpha_t) + sqrt(beta_t) z, for t > 0"""
    wrong = []
    for i, (shape, dtype, t) in enumerate(given_cases(seed)):
        if t == 0:
            continue
        got = output(given[f"case{i}"], shape)
        x_t, z = (v.to(F64) for v in inputs(shape, dtype, seed + 10 + i))
        want = right_step(x_t, z, t)
        if not expect.close(got, want, **tolerance(dtype)):
            wrong.append((got, want, known_steps(x_t, z, t), describe(shape, dtype, t)))
    if wrong:
        got, want, _, what = wrong[0]
        name = expect.explained_by([(g, k) for g, _, k, _ in wrong])
        again = expect.reading(expect.returned(given["again"]), got.shape)
        if name is None and again is not None and not torch.equal(again.to(F64), output(given["case0"], again.shape)):
            name = "ignores-given-noise"
        mistake(name, f"x_(t-1) for {what}: {expect.differ(got, want)}")


def given_step_right(given, seed):
    """Whether the step is right with the noise given, on the first given case (t = 1)."""
    shape, dtype, t = given_cases(seed)[0]
    x_t, z = (v.to(F64) for v in inputs(shape, dtype, seed + 10))
    return expect.close(output(given["case0"], shape), right_step(x_t, z, t), **tolerance(dtype))


@pytest.mark.points(1)
def test_no_noise_at_t_0(given, seed):
    """at t = 0 the step returns the mean alone: no noise is added (the noise passed in is not used)"""
    i, (shape, dtype, t) = next((i, c) for i, c in enumerate(given_cases(seed)) if c[2] == 0)
    got = output(given[f"case{i}"], shape)
    x_t, z = (v.to(F64) for v in inputs(shape, dtype, seed + 10 + i))
    want = mean_of(x_t, 0)
    if expect.close(got, want, **tolerance(dtype)):
        return
    if not given_step_right(given, seed):
        expect.not_judged("the step is not yet right with the noise given (see its check); t = 0 is judged once it is")
    noised = want + B64[0].sqrt() * z
    name = "noise-at-t0" if expect.close(got, noised, **tolerance(dtype)) else None
    mistake(name, f"x_(-1) for {describe(shape, dtype, t)}: {expect.differ(got, want)}"
            + (f": that is the mean plus sqrt(beta_0) z = {float(B64[0].sqrt()):.3f} z" if name else ""))


# --- fresh noise ------------------------------------------------------------------------------------

def recovered_noise(entry, shape, seed):
    x_t, _ = inputs(shape, F64, seed + 20)
    got = output(entry, shape)
    return (got - mean_of(x_t.to(F64), FRESH_T)) / B64[FRESH_T].sqrt()


@pytest.mark.points(2)
def test_fresh_noise_is_standard_normal(fresh, seeds, given, seed):
    """with noise=None, z = (x_(t-1) - mean) / sqrt(beta_t) is a fresh N(0, 1) that follows torch.manual_seed"""
    shape = fresh_shape(seed)
    if not given_step_right(given, seed):
        expect.not_judged("the step is not yet right with the noise given (see its check), so the noise it draws "
                          "cannot be recovered")
    first, second = recovered_noise(fresh["call1"], shape, seed), recovered_noise(fresh["call2"], shape, seed)
    stats.require_finite(first, second, what="the outputs")
    if bool((first.abs() < 1e-12).all()):
        mistake("no-noise", "with noise=None, x_(t-1) is the mean alone: no noise was added at t = 1")
    seeded_runs_verdict(seeds, SEEDS_SHAPE, "noise")
    ok, distance, limit = stats.looks_standard_normal(first)
    spread = float(first.std())
    posterior = float(((1 - AB[FRESH_T - 1]) / (1 - AB[FRESH_T])).sqrt())
    if not ok:
        name = "posterior-variance" if abs(spread / posterior - 1) < 0.1 else None
        mistake(name, f"with noise=None, z = (x_(t-1) - mean) / sqrt(beta_t) is not N(0, 1): mean {float(first.mean()):.3f}, "
                f"std {spread:.3f} (KS distance {distance:.3f} > {limit:.3f})"
                + (f"; the posterior variance gives std {posterior:.3f}" if name else ""))
    failure = fresh_noise_failure(first, second)
    if failure:
        mistake(None, f"with noise=None, the noise drawn is not a fresh N(0, 1): {failure}")


# --- gradients and device ----------------------------------------------------------------------------

def step_gradient():
    """d x_(t-1) / d x_t at t = 3 (the probe's shape (4, 3)): the mean's; the noise term adds none."""
    c, _ = eps_affine(BETAS, 3, DATA_MEAN, DATA_STD)
    return ((1 - B64[3] / (1 - AB[3]).sqrt() * c) / (1 - B64[3]).sqrt()).expand(4, 3)


@pytest.mark.points(1)
def test_gradient_flows_to_x_t(gradients, seed):
    """the step keeps its graph, with the noise given and with noise=None: d x_(t-1) / d x_t = (1 - beta_t / sqrt(1 - alpha_bar_t) c_t) / sqrt(alpha_t), the noise adds none"""
    given, fresh, want = gradients["given"], gradients["fresh"], step_gradient()
    got = expect.judgeable(expect.returned(given), "a tensor shaped like x_t", shape=(4, 3))
    x_t, z = (v.to(F64) for v in inputs((4, 3), F64, seed + 40))
    if not expect.close(got, right_step(x_t, z, 3), **tolerance(F64)):
        expect.not_judged("the step is not yet right (see its check); its gradient is judged once it is")
    if given["grad"] is None:
        mistake("output-detached", "x_(t-1) has the right values but no gradient reaches x_t: keep the computation "
                "in torch, without .detach(), .data or torch.no_grad()")
    grad = expect.judgeable(given["grad"], "a gradient", shape=(4, 3))
    if not expect.close(grad, want, rtol=1e-6, atol=1e-9):
        mistake(None, f"d x_(t-1) / d x_t: {expect.differ(grad, want)}")
    expect.judgeable(expect.returned(fresh), "a tensor shaped like x_t", shape=(4, 3))
    grad = None if fresh["grad"] is None else expect.judgeable(fresh["grad"], "a gradient", shape=(4, 3))
    if grad is None or bool((grad == 0).all()):
        mistake("not-reparameterized", f"with the noise given the gradient is right, but with noise=None "
                f"{'no gradient reaches x_t' if grad is None else 'd x_(t-1) / d x_t is zero'}: draw z with "
                "torch.randn_like(x_t) and return mean + sqrt(beta_t) * z (Normal(...).sample() and torch.normal(mean, "
                "std) are not differentiable in the mean)")
    if not expect.close(grad, want, rtol=1e-6, atol=1e-9):
        mistake(None, f"with noise=None, d x_(t-1) / d x_t: {expect.differ(grad, want)} (the noise term adds none)")


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on x_t's device: the result, and the t passed to eps_model, live there"""
    t_device_verdict(device, "x_(t-1)", "x_t")
