"""Probes of exercise c17, train_ddpm(eps_model, data, noise_schedule, steps, lr=1e-3, batch_size=256):
they run in the student's isolated process. The student's loop trains a small MLP
(grader.sandbox.swiss_roll.TimeMLP) on a swiss roll drawn from the run's seed; then the
probe samples the trained model with the grader's own ancestral sampler and asks it for the
noise in held-out noised points (x0, t and noise drawn here, from the seed: the grader redraws
them). A Recorder keeps the model's first calls (the t drawn); a hook on the last layer's bias
counts the backward passes and keeps their gradients; the parameters are copied before and after.
Everything the grader can draw from the seed (data, held-out points) it draws again itself."""

import torch

from grader.sandbox.models import Recorder
from grader.sandbox.probing import capture, probe, run_on_device, seed_everything, seeded
from grader.sandbox.swiss_roll import TimeMLP, ancestral_sample, flat_parameters, swiss_roll

F32 = torch.float32
T = 100
BETAS = torch.linspace(1e-4, 0.12, T, dtype=F32)  # alpha_bar_{T-1} ~ 0.002: x_{T-1} is nearly N(0, I)
STEPS, LR, BATCH = 2000, 3e-3, 256
N_TRAIN, N_HELD, N_SAMPLES = 2000, 2000, 2000
RECORDED = 20  # model calls whose t are kept: 20 x 256 = 5120 draws
KEPT = 8
SMALL_N, SMALL_BATCH, SMALL_STEPS = 40, 48, 3  # fewer rows than a batch: drawn with replacement or not shows


def training_data(seed):
    return swiss_roll(N_TRAIN, seeded(seed))


def held_out(seed):
    return swiss_roll(N_HELD, seeded(seed + 1))


def held_out_triples(seed):
    """(x0, t, noise) the trained model has never seen, float32."""
    g = seeded(seed + 2)
    return swiss_roll(N_HELD, g), torch.randint(0, T, (N_HELD,), generator=g), torch.randn(N_HELD, 2, generator=g)


def noised(x0, t, noise, alpha_bar):
    a = alpha_bar[t].reshape(-1, 1)
    return a.sqrt() * x0 + (1 - a).sqrt() * noise


def hooked(model):
    """The gradient each backward pass gives the last layer's bias, as it arrives (before any
    accumulation): the first KEPT kept, all counted."""
    grads = {"kept": [], "count": 0}

    def keep(g):
        grads["count"] += 1
        if len(grads["kept"]) < KEPT:
            grads["kept"].append(g.detach().clone())
    model.net[-1].bias.register_hook(keep)
    return grads


def model_seen(recorder):
    return [{"t": call["args"][1] if len(call["args"]) > 1 else None,
             "x_shape": list(getattr(call["args"][0], "shape", [])) if call["args"] else []} for call in recorder.seen]


@torch.no_grad()
def trained_outputs(model, seed):
    """The grader's samples of the trained model, and its noise predictions on held-out points built
    with alpha_bar (right) and with the single-step alpha (to recognise a model trained that way)."""
    model.eval()
    x0, t, noise = held_out_triples(seed)
    alpha_bar = torch.cumprod(1 - BETAS.to(torch.float64), 0).to(F32)
    return {"samples": ancestral_sample(model, N_SAMPLES, BETAS, seeded(seed + 3)),
            "pred": model(noised(x0, t, noise, alpha_bar), t), "pred_alpha": model(noised(x0, t, noise, 1 - BETAS), t)}


@probe
def train(train_ddpm, seed):
    seed_everything(seed)
    model = TimeMLP()
    before, grads = flat_parameters(model), hooked(model)
    recorder, data, betas = Recorder(model, limit=RECORDED), training_data(seed), BETAS.clone()
    out = capture(lambda: train_ddpm(recorder, data, betas, STEPS, lr=LR, batch_size=BATCH))
    observed = {**out, "data_after": data, "betas_after": betas, "calls": recorder.calls, "seen": model_seen(recorder),
                "changed": float((flat_parameters(model) - before).abs().max()), "backward": grads["count"]}
    if not isinstance(out.get("result"), (list, tuple)):
        return observed  # nothing trained (an error, or the lane's warm-up stand-in): no sampling
    return {**observed, **trained_outputs(model, seed)}


@probe
def small(train_ddpm, seed):
    """A few steps at lr = 0 on fewer rows than a batch: parameters, gradients and batch sizes."""
    seed_everything(seed + 5)
    model = TimeMLP(hidden=16)
    before, grads = flat_parameters(model), hooked(model)
    recorder = Recorder(model, limit=SMALL_STEPS + 2)
    out = capture(lambda: train_ddpm(recorder, training_data(seed)[:SMALL_N], BETAS, SMALL_STEPS, lr=0.0,
                                     batch_size=SMALL_BATCH))
    bias_grad = model.net[-1].bias.grad
    return {**out, "changed": float((flat_parameters(model) - before).abs().max()), "grads": grads["kept"],
            "grad_after": None if bias_grad is None else bias_grad.detach().clone(), "calls": recorder.calls,
            "seen": model_seen(recorder)}


@probe
def device(train_ddpm, seed):
    seed_everything(seed + 6)
    recorder = Recorder(TimeMLP(hidden=16), limit=2)
    data = training_data(seed)[:64]
    observed = run_on_device(lambda move: train_ddpm(recorder, move(data), move(BETAS), 2, batch_size=8))
    return {**observed, "seen_t": [call["t"] for call in model_seen(recorder)]}
