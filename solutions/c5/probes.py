"""Probes of exercise c5, vae_kl_loss(mu, log_var): they run in the student's isolated process.

Inputs are drawn from the run's seed, so the grader rebuilds them exactly and a table of
answers keyed on inputs cannot pass.
"""

import torch

from grader.sandbox.probing import capture, draw_shape, mu_log_var, probe, run_on_device

F64, F32 = torch.float64, torch.float32
GRADIENT_SHAPE = (5, 3)


def flat_cases(seed):
    """(B, D) shapes drawn from the run's seed: an odd batch, batch 1, and a batch whose latent dim
    differs from it, so code keyed on the probes' shapes cannot pass."""
    half, d, d1, b, d2 = draw_shape(seed + 70, (2, 4), (2, 6), (2, 6), (2, 8), (2, 7))
    return [((2 * half + 1, d), F64), ((1, d1), F32), ((b, d2 if d2 != b else d2 + 1), F32)]


def image_cases(seed):
    """(B, C, H, W) shapes drawn from the run's seed, batch 1 among them."""
    b, c, h, w, c1, h1 = draw_shape(seed + 71, (3, 4), (2, 4), (2, 4), (3, 6), (2, 5), (2, 4))
    return [((b, c, h, w), F64), ((1, c1, h1, h1), F32)]


def inputs(shape, dtype, seed):
    return mu_log_var(shape, dtype, seed, scale=1.5)


def run_cases(vae_kl_loss, cases, seed):
    out = {}
    for i, (shape, dtype) in enumerate(cases):
        mu, log_var = inputs(shape, dtype, seed + i)
        out[f"case{i}"] = capture(lambda: vae_kl_loss(mu, log_var))  # noqa: B023 - called at once
        out[f"again{i}"] = capture(lambda: vae_kl_loss(mu, log_var))  # noqa: B023 - the same tensors once more
        out[f"inputs{i}"] = (mu, log_var)
    return out


@probe
def flat(vae_kl_loss, seed):
    return run_cases(vae_kl_loss, flat_cases(seed), seed)


@probe
def image(vae_kl_loss, seed):
    return run_cases(vae_kl_loss, image_cases(seed), seed + 10)


@probe
def gradients(vae_kl_loss, seed):
    mu, log_var = (t.requires_grad_() for t in inputs(GRADIENT_SHAPE, F64, seed + 20))
    loss = vae_kl_loss(mu, log_var)
    if isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1:
        loss.sum().backward()
    return {"loss": loss, "mu_grad": mu.grad, "log_var_grad": log_var.grad}


@probe
def device(vae_kl_loss, seed):
    mu, log_var = inputs((4, 3), F64, seed + 40)
    return run_on_device(lambda move: vae_kl_loss(move(mu), move(log_var)))
