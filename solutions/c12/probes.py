"""Probes of exercise c12, ddpm_loss(eps_model, x0, noise_schedule): they run in the student's
isolated process. The student's function gets a recording eps model: the exact noise
prediction for Gaussian data (grader.sandbox.models.GaussianEps) times a trainable gain of 1,
wrapped in a Recorder, so the grader sees every x_t and t the code passed and can recover the
noise it drew. Shapes and data are drawn from the run's seed (the grader redraws them)."""

import torch
from grader.sandbox.models import GainedEps, Recorder
from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded, under_seeds

F64, F32 = torch.float64, torch.float32
T = 12
BETAS = torch.linspace(0.02, 0.5, T, dtype=F64)  # alpha_t and alpha_bar_t differ from t = 1 on
DATA_MEAN, DATA_STD = 0.5, 1.5


def basic_cases(seed):
    """(shape, dtype): a (B, D) batch, batch 1 (float32), and an image batch (float32)."""
    b, d = draw_shape(seed, (2, 7), (2, 5))
    return [((b, d), F64), ((1, 3), F32), (draw_shape(seed + 1, (2, 4))[0:1] + (2, 3, 3), F32)]


def sample_shape(seed):
    return draw_shape(seed + 2, (1500, 2000), (2, 3))


SEEDS_SHAPE = (300, 2)


def data(shape, dtype, seed):
    return (DATA_MEAN + DATA_STD * torch.randn(shape, generator=seeded(seed), dtype=F64)).to(dtype)


def run(ddpm_loss, shape, dtype, seed, backward=False):
    """The loss (or the error raised), the model's recording, x0 and the schedule after the call,
    and, when asked, the gain's gradient after loss.backward()."""
    model = Recorder(GainedEps(BETAS.to(dtype), DATA_MEAN, DATA_STD))
    x0, betas = data(shape, dtype, seed), BETAS.to(dtype)
    out = capture(lambda: ddpm_loss(model, x0, betas))
    loss = out.get("result")
    if backward and isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1:
        loss.sum().backward()
    return {**out, "calls": model.calls, "seen": model.seen[:2], "x0_after": x0, "betas_after": betas, "gain_grad": model.model.gain.grad}


@probe
def basic(ddpm_loss, seed):
    return {f"case{i}": run(ddpm_loss, shape, dtype, seed + 10 + i, backward=True)
            for i, (shape, dtype) in enumerate(basic_cases(seed))}


@probe
def sample(ddpm_loss, seed):
    shape = sample_shape(seed)
    return {f"call{i}": run(ddpm_loss, shape, F64, seed + 20) for i in (1, 2)}


@probe
def seeds(ddpm_loss, seed):
    def once():
        out = run(ddpm_loss, SEEDS_SHAPE, F64, seed + 30)
        return out["seen"][0]["args"][0] if out["seen"] else None
    return under_seeds(once, seed)


@probe
def device(ddpm_loss, seed):
    model = Recorder(GainedEps(BETAS, DATA_MEAN, DATA_STD))
    x0 = data((4, 3), F64, seed + 40)
    observed = run_on_device(lambda move: ddpm_loss(model, move(x0), move(BETAS)))
    return {**observed, "seen_t": [call["args"][1] for call in model.seen if len(call["args"]) > 1]}
