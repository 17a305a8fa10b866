"""Hidden checks of exercise c5, vae_kl_loss(mu, log_var).

The loss is deterministic: it is compared with torch.distributions.kl_divergence (an
oracle independent of the closed form) and with the values of known wrong formulas on
the same inputs, so the feedback can name the mistake.
"""

import pytest
import torch
from torch.distributions import Normal, kl_divergence

from grader.check import expect
from grader.check.expect import mistake

from .probes import F32, F64, FLAT, GRADIENT_SHAPE, IMAGE, inputs


def oracle(mu, log_var):
    """KL via torch.distributions, summed over non-batch dims, mean over the batch."""
    mu, log_var = mu.to(F64), log_var.to(F64)
    kl = kl_divergence(Normal(mu, torch.exp(0.5 * log_var)), Normal(torch.zeros_like(mu), torch.ones_like(mu)))
    return kl.flatten(1).sum(1).mean()


def known_mistakes(mu, log_var):
    mu, lv = mu.to(F64), log_var.to(F64)

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
        wrong["sum-dim1-only"] = (0.5 * (mu**2 + lv.exp() - 1 - lv)).sum(1).mean()
    return wrong


def tolerance(dtype):
    return {"rtol": 1e-5, "atol": 1e-6} if dtype == F32 else {"rtol": 1e-10, "atol": 1e-12}


def describe(shape, dtype):
    return f"mu and log_var of shape {shape} ({str(dtype)[6:]})"


def loss_of(out, i, shape, dtype):
    entry = out[f"case{i}"]
    if "error" in entry:
        mistake(None, f"for {describe(shape, dtype)} vae_kl_loss raised {entry['error']}")
    value = entry.get("result")
    if hasattr(value, "shape") and tuple(value.shape) == (shape[0],) and shape[0] > 1:
        mistake("per-sample-vector", f"for {describe(shape, dtype)} you returned a tensor of shape "
                f"{tuple(value.shape)}: one KL per sample")
    return expect.tensor(value, f"the loss for {describe(shape, dtype)}", shape=(), dtype=str(dtype)[6:])


def check_values(out, cases, seed):
    for i, (shape, dtype) in enumerate(cases):
        loss = loss_of(out, i, shape, dtype)
        mu, log_var = inputs(shape, dtype, seed + i)
        expect.expect_close(loss, oracle(mu, log_var), f"KL for {describe(shape, dtype)}", **tolerance(dtype),
                            mistakes=known_mistakes(mu, log_var))


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_scalar_tensor(flat):
    """returns a 0-dim tensor with the inputs' dtype"""
    for i, (shape, dtype) in enumerate(FLAT):
        loss_of(flat, i, shape, dtype)


@pytest.mark.points(3)
def test_value_for_flat_latents(flat, seed):
    """the value for (B, D) latents: batch 1 and odd batches, float32 and float64"""
    check_values(flat, FLAT, seed)


@pytest.mark.points(2)
def test_value_for_image_latents(image, seed):
    """the value for image-like (B, C, H, W) latents: summed over C, H and W"""
    check_values(image, IMAGE, seed + 10)


@pytest.mark.points(1)
def test_leaves_inputs_unchanged(flat, seed):
    """leaves mu and log_var unchanged"""
    for i, (shape, dtype) in enumerate(FLAT):
        loss_of(flat, i, shape, dtype)  # the call must have worked
        mu, log_var = inputs(shape, dtype, seed + i)
        mu_after, log_var_after = flat[f"inputs{i}"]
        expect.unchanged(mu, mu_after, "mu")
        expect.unchanged(log_var, log_var_after, "log_var")


@pytest.mark.points(2)
def test_gradients_reach_mu_and_log_var(gradients, seed):
    """d/dmu = mu / B and d/dlog_var = (exp(log_var) - 1) / (2B)"""
    mu, log_var = inputs(GRADIENT_SHAPE, F64, seed + 20)
    if gradients["mu_grad"] is None or gradients["log_var_grad"] is None:
        mistake("detached", "no gradient reaches mu or log_var: the loss must stay a differentiable tensor")
    batch = mu.shape[0]
    expect.expect_close(expect.tensor(gradients["mu_grad"], "d loss / d mu"), mu / batch, "d loss / d mu", rtol=1e-9)
    expect.expect_close(expect.tensor(gradients["log_var_grad"], "d loss / d log_var"),
                        (log_var.exp() - 1) / (2 * batch), "d loss / d log_var", rtol=1e-9)


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the loss")
