"""Probes of exercise c5, vae_kl_loss(mu, log_var): they run in the student's isolated process.

Inputs are drawn from the run's seed, so the grader rebuilds them exactly and a table of
answers keyed on inputs cannot pass.
"""

import torch

from grader.sandbox.probing import capture, mu_log_var, probe, run_on_device

F64, F32 = torch.float64, torch.float32
FLAT = [((5, 3), F64), ((1, 4), F32), ((7, 2), F32)]  # odd batches, batch 1, latent dim != batch
IMAGE = [((3, 2, 3, 5), F64), ((1, 4, 2, 2), F32)]
GRADIENT_SHAPE = (5, 3)


def inputs(shape, dtype, seed):
    return mu_log_var(shape, dtype, seed, scale=1.5)


def run_cases(vae_kl_loss, cases, seed):
    out = {}
    for i, (shape, dtype) in enumerate(cases):
        mu, log_var = inputs(shape, dtype, seed + i)
        out[f"case{i}"] = capture(lambda: vae_kl_loss(mu, log_var))  # noqa: B023 - called at once
        out[f"inputs{i}"] = (mu, log_var)
    return out


@probe
def flat(vae_kl_loss, seed):
    return run_cases(vae_kl_loss, FLAT, seed)


@probe
def image(vae_kl_loss, seed):
    return run_cases(vae_kl_loss, IMAGE, seed + 10)


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
