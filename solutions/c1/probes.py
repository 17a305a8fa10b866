"""Probes of exercise c1, reparameterize(mu, log_var, training=True): they run in the
student's isolated process. Inputs are drawn from the run's seed (the grader rebuilds them)."""

import torch

from grader.sandbox.probing import (backward_if_possible, capture, copied, draw_shape, mu_log_var, probe, run_on_device,
                                    seed_everything, seeded, under_seeds)

F64 = torch.float64
EVALUATION_SHAPES = [((5, 3), F64), ((2, 3, 4, 4), torch.float32)]
LOG_VARS = torch.tensor([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2], dtype=F64)  # no 0: mistakes show everywhere
ROWS = (2000, 3000)  # the sample's batch size is drawn from the run's seed in this range
SEED_ROWS = 64  # the calls under torch.manual_seed: only compared with one another
GRADIENT_SHAPE = (6, 4)


def shape_cases(seed):
    """Batch 1, an odd batch and an image-like batch, their sizes drawn from the run's seed."""
    d1, half, d2, b, c, h = draw_shape(seed + 13, (2, 6), (2, 5), (2, 7), (2, 4), (1, 3), (2, 5))
    return [((1, d1), torch.float32), ((2 * half + 1, d2), F64), ((b, c, h, h), torch.float32)]


def inputs(shape, dtype, seed):
    return mu_log_var(shape, dtype, seed, scale=2)


def sample_inputs(seed, rows=None):
    rows = rows or draw_shape(seed + 12, ROWS)[0]
    mu = torch.randn(rows, len(LOG_VARS), generator=seeded(seed + 11), dtype=F64)
    return mu, LOG_VARS.expand(rows, -1).clone()


def seed_inputs(seed, k):
    """The k-th call's inputs under torch.manual_seed: new values each call, so only a draw that
    follows the global seed repeats (not one keyed on the inputs)."""
    return sample_inputs(seed + 50 + k, SEED_ROWS)


def weights(shape, seed):
    return torch.rand(shape, generator=seeded(seed + 99), dtype=F64) + 0.5


@probe
def shapes(reparameterize, seed):
    """Each case called twice on the same tensors after the same torch.manual_seed: noise that follows
    the global seed gives the same z again, unless the first call changed mu or log_var in place."""
    out = {}
    for i, (shape, dtype) in enumerate(shape_cases(seed)):
        mu, log_var = inputs(shape, dtype, seed + i)
        seed_everything(seed + 200 + i)
        out[f"z{i}"] = copied(reparameterize(mu, log_var))
        seed_everything(seed + 200 + i)
        out[f"again{i}"] = capture(lambda: reparameterize(mu, log_var))  # noqa: B023 - called at once
        out[f"mu{i}"], out[f"log_var{i}"] = mu, log_var
    return out


@probe
def sample(reparameterize, seed):
    mu, log_var = sample_inputs(seed)
    return {"z1": reparameterize(mu.clone(), log_var.clone()), "z2": reparameterize(mu.clone(), log_var.clone())}


@probe
def seeds(reparameterize, seed):
    calls = iter(range(3))
    return under_seeds(lambda: reparameterize(*seed_inputs(seed, next(calls))), seed)


@probe
def gradients(reparameterize, seed):
    mu, log_var = (t.requires_grad_() for t in inputs(GRADIENT_SHAPE, F64, seed + 21))
    z = reparameterize(mu, log_var)
    backward_if_possible(z, mu, weights(mu.shape, seed))
    return {"z": z, "mu_grad": mu.grad, "log_var_grad": log_var.grad}


@probe
def evaluation(reparameterize, seed):
    out = {}
    for i, (shape, dtype) in enumerate(EVALUATION_SHAPES):
        mu, log_var = inputs(shape, dtype, seed + 30 + i)
        mu.requires_grad_()
        out[f"z{i}"] = made = capture(lambda: reparameterize(mu, log_var, training=False))  # noqa: B023
        backward_if_possible(made.get("result"), mu, torch.ones(shape, dtype=F64))
        out[f"mu_grad{i}"] = mu.grad
    return out


@probe
def device(reparameterize, seed):
    mu, log_var = inputs((4, 3), F64, seed + 40)
    return run_on_device(lambda move: reparameterize(move(mu), move(log_var)))
