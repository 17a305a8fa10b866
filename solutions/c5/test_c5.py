"""Hidden checks of exercise c5, vae_kl_loss(mu, log_var).

The loss is deterministic: it is compared with torch.distributions.kl_divergence (an oracle
independent of the closed form), and, when it is wrong, with the values and gradients of
known wrong formulas on the same inputs: a mistake is named only when its formula gives the
student's result in every wrong case. The public check owns the result's type and shape, for
flat and image-like latents; the others judge values only once the result is one number. The
shapes are drawn from the run's seed. Float64 values are judged at 1e-6 relative, which separates
a formula from rounding (a float32 step gives ~1e-7 on the result); the dtype, owned by the public
check, is the one precision fact this exercise judges.

What the grader judges itself, not trusting the student's process: inputs are rebuilt from the
seed and compared with the bytes sent after the call, and a second call on the same tensors must
return the same loss (an in-place change shows in the value, whatever the bytes say); the device
check is judged only once the loss on the device is the right value.
"""

import pytest
import torch
from torch.distributions import Normal, kl_divergence

from grader.check import expect
from grader.check.expect import mistake
from grader.check.wire import TensorValue

from .probes import F32, F64, GRADIENT_SHAPE, flat_cases, image_cases, inputs


def oracle(mu, log_var):
    """KL via torch.distributions, summed over non-batch dims, mean over the batch."""
    kl = kl_divergence(Normal(mu, torch.exp(0.5 * log_var)), Normal(torch.zeros_like(mu), torch.ones_like(mu)))
    return kl.flatten(1).sum(1).mean()


def known_mistakes(mu, lv):
    """What each known wrong formula returns for these inputs (differentiable in mu and lv)."""
    def per_sample(terms):
        return 0.5 * terms.flatten(1).sum(1)

    right = per_sample(mu**2 + lv.exp() - 1 - lv)
    wrong = {
        "mean-over-latent": (0.5 * (mu**2 + lv.exp() - 1 - lv)).mean(),
        "sum-over-batch": right.sum(),
        "missing-half": 2 * right.mean(),
        "sign-error": -right.mean(),
        "logvar-as-logstd": per_sample(mu**2 + (2 * lv).exp() - 1 - 2 * lv).mean(),
        "std-for-variance": per_sample(mu**2 + (0.5 * lv).exp() - 1 - lv).mean(),
        "dropped-one": per_sample(mu**2 + lv.exp() - lv).mean(),
        "reversed-kl": per_sample(lv + (1 + mu**2) / lv.exp() - 1).mean(),
        "mu-not-squared": per_sample(mu + lv.exp() - 1 - lv).mean(),
    }
    if mu.dim() > 2:
        terms = 0.5 * (mu**2 + lv.exp() - 1 - lv)
        wrong["sum-one-dim-only"] = (terms.sum(1).mean(), terms.sum(-1).mean())  # dim 1, or the last dim
    return wrong


def tolerance(dtype):
    return {"rtol": 1e-5, "atol": 1e-6} if dtype == F32 else {"rtol": 1e-6, "atol": 1e-9}


def describe(shape, dtype):
    return f"mu and log_var of shape {shape} ({str(dtype)[6:]})"


ONE_NUMBER = "one number (a 0-dim tensor)"


def check_values(out, cases, seed):
    wrong = []
    for i, (shape, dtype) in enumerate(cases):
        loss = expect.judgeable(expect.returned(out[f"case{i}"]), ONE_NUMBER, shape=())
        mu, log_var = (t.to(F64) for t in inputs(shape, dtype, seed + i))
        want = oracle(mu, log_var)
        if not expect.close(loss, want, **tolerance(dtype)):
            wrong.append((loss, want, known_mistakes(mu, log_var), describe(shape, dtype)))
    if wrong:
        loss, want, _, what = wrong[0]
        mistake(expect.explained_by([(got, known) for got, _, known, _ in wrong]),
                f"KL for {what}: {expect.differ(loss.reshape(1), want.reshape(1))}")


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_scalar_tensor(flat, image, seed):
    """returns a 0-dim tensor with the inputs' dtype, for (B, D) and (B, C, H, W) latents"""
    for out, cases in ((flat, flat_cases(seed)), (image, image_cases(seed))):
        for i, (shape, dtype) in enumerate(cases):
            value, what = expect.returned(out[f"case{i}"]), f"for {describe(shape, dtype)}"
            if value is None:
                mistake("no-return", f"{what} your function returned None: end it with `return` and the loss")
            if isinstance(value, TensorValue) and value.shape == (shape[0],) and shape[0] > 1:
                mistake("per-sample-vector", f"{what} you returned shape {value.shape}: one KL per sample; "
                        "average them over the batch")
            if isinstance(value, TensorValue) and len(shape) > 2 and value.shape == shape[2:]:
                mistake("sum-one-dim-only", f"{what} you returned shape {value.shape}: summed over dim 1 and averaged "
                        "over dim 0 only; the KL of a sample sums over all its dims (C, H and W)")
            expect.tensor(value, f"the loss {what}", shape=(), dtype=str(dtype)[6:])


@pytest.mark.points(3)
def test_value_for_flat_latents(flat, seed):
    """the value for (B, D) latents: batch 1 and odd batches, float32 and float64"""
    check_values(flat, flat_cases(seed), seed)


@pytest.mark.points(2)
def test_value_for_image_latents(image, seed):
    """the value for image-like (B, C, H, W) latents: summed over C, H and W"""
    check_values(image, image_cases(seed), seed + 10)


@pytest.mark.points(1)
def test_leaves_inputs_unchanged(flat, seed):
    """leaves mu and log_var unchanged"""
    for i, (shape, dtype) in enumerate(flat_cases(seed)):
        value = expect.returned(flat[f"case{i}"])
        expect.judgeable(value, "a tensor")  # no points for code that returns nothing
        mu, log_var = inputs(shape, dtype, seed + i)
        mu_after, log_var_after = flat[f"inputs{i}"]
        expect.unchanged(mu, mu_after, "mu")
        expect.unchanged(log_var, log_var_after, "log_var")
        again = flat[f"again{i}"].get("result")
        first, second = expect.reading(value, ()), expect.reading(again, ())
        if first is not None and second is not None and not torch.equal(first, second):
            mistake("modifies-input", f"for {describe(shape, dtype)} a second call on the same mu and log_var tensors "
                    f"returned {float(second):.6g}, the first {float(first):.6g}: the first call changed its inputs in place")


@pytest.mark.points(2)
def test_gradients_reach_mu_and_log_var(gradients, seed):
    """d/dmu = mu / B and d/dlog_var = (exp(log_var) - 1) / (2B)"""
    loss = gradients["loss"]
    expect.judgeable(loss, ONE_NUMBER, shape=())
    if not loss.requires_grad or gradients["mu_grad"] is None or gradients["log_var_grad"] is None:
        mistake("detached", "no gradient reaches mu or log_var: the loss must stay a differentiable tensor")
    mu, log_var = (t.requires_grad_() for t in inputs(GRADIENT_SHAPE, F64, seed + 20))
    targets = {"right": oracle(mu, log_var), **known_mistakes(mu, log_var)}
    grads = {key: torch.autograd.grad(value, (mu, log_var), retain_graph=True) for key, value in targets.items()}
    got = [expect.tensor(gradients[name], f"d loss / d {name[:-5]}") for name in ("mu_grad", "log_var_grad")]
    for k, name in enumerate(("mu", "log_var")):
        if not expect.close(got[k], grads["right"][k], **tolerance(F64)):
            known = {key: g[k] for key, g in grads.items() if key != "right"}
            mistake(expect.explained_by([(got[k], known)]), f"d loss / d {name}: {expect.differ(got[k], grads['right'][k])}")


@pytest.mark.points(1)
def test_result_on_inputs_device(device, seed):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    loss = expect.reading(device.get("values"), ())
    if loss is None or not expect.close(loss, oracle(*inputs((4, 3), F64, seed + 40)), **tolerance(F64)):
        expect.not_judged("the loss on the device is not the KL yet (see the value checks); its device is judged once it is")
    expect.device_verdict(device, "the loss")
