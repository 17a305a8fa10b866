"""Hidden checks of exercise c5, vae_kl_loss(mu, log_var).

The loss is deterministic: it is compared with torch.distributions.kl_divergence (an
oracle independent of the closed form) and with the values of known wrong formulas on
the same inputs, so the feedback can name the mistake.
"""

import torch
from torch.distributions import Normal, kl_divergence

from grader.check import expect
from grader.sandbox.device_spy import run_on_device
from grader.sandbox.probing import capture, seeded
from grader.check.suite import Fail, Suite

suite = Suite(function="vae_kl_loss")
F64, F32 = torch.float64, torch.float32
FLAT = [((5, 3), F64), ((1, 4), F32), ((7, 2), F32)]  # odd batches, batch 1, latent dim != batch
IMAGE = [((3, 2, 3, 5), F64), ((1, 4, 2, 2), F32)]


def inputs(shape, dtype, seed):
    g = seeded(seed)
    mu = 1.5 * torch.randn(shape, generator=g, dtype=F64)
    log_var = 3 * torch.rand(shape, generator=g, dtype=F64) - 1.5
    return mu.to(dtype), log_var.to(dtype)


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


# --- probes: run in the student's process ----------------------------------------------

def run_cases(vae_kl_loss, cases, offset):
    out = {}
    for i, (shape, dtype) in enumerate(cases):
        mu, log_var = inputs(shape, dtype, offset + i)
        out[f"case{i}"] = capture(lambda: vae_kl_loss(mu, log_var))  # noqa: B023 - called at once
        out[f"inputs{i}"] = (mu, log_var)
    return out


@suite.probe
def flat(vae_kl_loss):
    return run_cases(vae_kl_loss, FLAT, 0)


@suite.probe
def image(vae_kl_loss):
    return run_cases(vae_kl_loss, IMAGE, 10)


@suite.probe
def gradients(vae_kl_loss):
    mu, log_var = (t.requires_grad_() for t in inputs((5, 3), F64, 20))
    loss = vae_kl_loss(mu, log_var)
    if isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1:
        loss.sum().backward()
    return {"mu_grad": mu.grad, "log_var_grad": log_var.grad}


@suite.probe
def device(vae_kl_loss):
    mu, log_var = inputs((4, 3), F64, 40)
    return run_on_device(lambda move: vae_kl_loss(move(mu), move(log_var)))


# --- verdicts: run in the grader's process ---------------------------------------------

def loss_of(out, i, shape, dtype):
    entry = out[f"case{i}"]
    if "error" in entry:
        raise Fail(f"for {describe(shape, dtype)} vae_kl_loss raised {entry['error']}")
    value = entry.get("result")
    if hasattr(value, "shape") and tuple(value.shape) == (shape[0],) and shape[0] > 1:
        raise Fail(f"for {describe(shape, dtype)} you returned a tensor of shape {tuple(value.shape)}: "
                   "one KL per sample", "per-sample-vector")
    return expect.tensor(value, f"the loss for {describe(shape, dtype)}", shape=(), dtype=str(dtype)[6:])


def check_values(out, cases, offset):
    for i, (shape, dtype) in enumerate(cases):
        loss = loss_of(out, i, shape, dtype)
        mu, log_var = inputs(shape, dtype, offset + i)
        expect.expect_close(loss, oracle(mu, log_var), f"KL for {describe(shape, dtype)}", **tolerance(dtype),
                            mistakes=known_mistakes(mu, log_var))


@suite.check(flat, points=1, public=True)
def returns_a_scalar_tensor(out, ref):
    """returns a 0-dim tensor with the inputs' dtype"""
    for i, (shape, dtype) in enumerate(FLAT):
        loss_of(out, i, shape, dtype)


@suite.check(flat, points=3)
def value_for_flat_latents(out, ref):
    """the value for (B, D) latents: batch 1 and odd batches, float32 and float64"""
    check_values(out, FLAT, 0)


@suite.check(image, points=2)
def value_for_image_latents(out, ref):
    """the value for image-like (B, C, H, W) latents: summed over C, H and W"""
    check_values(out, IMAGE, 10)


@suite.check(flat, points=1)
def leaves_inputs_unchanged(out, ref):
    """leaves mu and log_var unchanged"""
    for i, (shape, dtype) in enumerate(FLAT):
        loss_of(out, i, shape, dtype)  # the call must have worked
        mu, log_var = inputs(shape, dtype, i)
        mu_after, log_var_after = out[f"inputs{i}"]
        expect.unchanged(mu, mu_after, "mu")
        expect.unchanged(log_var, log_var_after, "log_var")


@suite.check(gradients, points=2)
def gradients_reach_mu_and_log_var(out, ref):
    """d/dmu = mu / B and d/dlog_var = (exp(log_var) - 1) / (2B)"""
    mu, log_var = inputs((5, 3), F64, 20)
    if out["mu_grad"] is None or out["log_var_grad"] is None:
        raise Fail("no gradient reaches mu or log_var: the loss must stay a differentiable tensor", "detached")
    batch = mu.shape[0]
    expect.expect_close(expect.tensor(out["mu_grad"], "d loss / d mu"), mu / batch, "d loss / d mu", rtol=1e-9)
    expect.expect_close(expect.tensor(out["log_var_grad"], "d loss / d log_var"),
                        (log_var.exp() - 1) / (2 * batch), "d loss / d log_var", rtol=1e-9)


@suite.check(device, points=1)
def result_on_inputs_device(out, ref):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(out, "the loss")

