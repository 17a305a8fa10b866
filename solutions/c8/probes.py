"""Probes of exercise c8, negative_elbo(x, x_logits, mu, log_var, beta=1.0): they run in the
student's isolated process. Inputs are drawn from the run's seed (the grader rebuilds them),
shapes included."""

from __future__ import annotations

from dataclasses import dataclass

import torch

from grader.sandbox.probing import capture, draw_shape, mu_log_var, probe, run_on_device, seeded

F64, F32 = torch.float64, torch.float32
# decoder logits where sigmoid rounds to 0 or 1 (|l| >= 17 in float32, >= 37 in float64), and some where
# it does not; at +-100 exactly sigmoid then F.binary_cross_entropy has the right value but no gradient
SATURATED = (100.0, -100.0, 60.0, -60.0, 30.0, -30.0)
EXTREME = (100.0, -100.0, 100.0, -100.0, 1.5, -0.5)
TARGETS = (0.0, 1.0, 0.3, 1.0, 0.0, 0.5)  # binary pixels and soft targets


@dataclass(frozen=True)
class Case:
    shape: tuple  # x's shape
    latent: tuple  # mu's shape
    dtype: torch.dtype
    beta: float | None  # None: the default is used
    seed: int
    logits: tuple = ()  # fixed logit values (saturated cases), else N(0, 2^2)

    def describe(self) -> str:
        beta = "the default beta" if self.beta is None else f"beta = {self.beta:g}"
        return f"x of shape {self.shape}, latents of shape {self.latent} ({str(self.dtype)[6:]}), {beta}"


def cases(seed: int) -> list[Case]:
    """Batch 1, an odd batch, image-shaped x, default and other betas, shapes drawn from the seed."""
    b, d, l, b2, l2 = draw_shape(seed, (1, 4), (3, 9), (2, 5), (2, 5), (2, 6))
    return [Case((1, 6), (1, 3), F32, None, seed), Case((2 * b + 1, d), (2 * b + 1, l), F64, 0.25, seed + 1),
            Case((b2, 2, 3, 3), (b2, l2), F32, 4.0, seed + 2), Case((3, 1, 4, 4), (3, 2, 2), F64, None, seed + 3)]


def saturated_cases(seed: int, values: tuple = SATURATED) -> list[Case]:
    return [Case((4, 6), (4, 3), F32, 0.5, seed, values), Case((4, 6), (4, 3), F64, 0.5, seed + 1, values)]


def inputs(case: Case) -> tuple[torch.Tensor, ...]:
    """(x, x_logits, mu, log_var) in the case's dtype."""
    g = seeded(case.seed)
    if case.logits:
        order = torch.stack([torch.randperm(len(case.logits), generator=g) for _ in range(case.shape[0])])
        logits = torch.tensor(case.logits, dtype=F64)[order]
        x = torch.tensor(TARGETS, dtype=F64)[order.roll(1, dims=1)]
    else:
        logits = 2 * torch.randn(case.shape, generator=g, dtype=F64)
        x = torch.rand(case.shape, generator=g, dtype=F64)
        x = torch.where(torch.rand(case.shape, generator=g, dtype=F64) < 0.5, x.round(), x)  # half binary
    mu, log_var = mu_log_var(case.latent, F64, case.seed + 1000, scale=1.0)
    return tuple(t.to(case.dtype) for t in (x, logits, mu, log_var))


def call(negative_elbo, case: Case) -> dict:
    """One call, the logits and latents computed from leaves as an encoder's and decoder's are: the
    loss, its gradients with respect to x_logits, mu and log_var, and the inputs after the call."""
    x, *rest = inputs(case)
    leaves = [t.clone().requires_grad_() for t in rest]
    x_logits, mu, log_var = (leaf * 1 for leaf in leaves)
    beta = {} if case.beta is None else {"beta": case.beta}
    out = capture(lambda: negative_elbo(x, x_logits, mu, log_var, **beta))
    loss = out.get("result")
    if isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1:
        try:
            out["grads"] = list(torch.autograd.grad(loss.sum(), leaves, allow_unused=True))
        except RuntimeError as exc:
            out["grads"] = f"{type(exc).__name__}: {exc}"[:300]
    out["inputs_after"] = [t.detach() for t in (x, x_logits, mu, log_var)]
    return out


@probe
def basic(negative_elbo, seed):
    return {f"case{i}": call(negative_elbo, case) for i, case in enumerate(cases(seed))}


@probe
def saturated(negative_elbo, seed):
    return {f"case{i}": call(negative_elbo, case) for i, case in enumerate(saturated_cases(seed + 30))}


@probe
def extreme(negative_elbo, seed):
    return {f"case{i}": call(negative_elbo, case) for i, case in enumerate(saturated_cases(seed + 50, EXTREME))}


@probe
def device(negative_elbo, seed):
    x, x_logits, mu, log_var = inputs(Case((3, 4), (3, 2), F32, None, seed + 40))
    return run_on_device(lambda move: negative_elbo(move(x), move(x_logits), move(mu), move(log_var)))
