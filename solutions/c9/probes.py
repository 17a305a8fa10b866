"""Probes of exercise c9, gan_losses(real_logits, fake_logits, non_saturating=True): they run in
the student's isolated process. Inputs are drawn from the run's seed (the grader rebuilds them),
batch sizes included."""

from __future__ import annotations

import torch

from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded

F64, F32 = torch.float64, torch.float32
# D's logits where its sigmoid rounds to 0 or 1 (|x| >= 17 in float32, >= 37 in float64), and some where it
# does not. At +-100 exactly, sigmoid then F.binary_cross_entropy (its log clamped at -100) has the right
# value but no gradient: the gradient check reads EXTREME.
SATURATED = (100.0, -100.0, 60.0, -60.0, 30.0, -30.0, 1.5, -1.5)
EXTREME = (100.0, -100.0, 100.0, -100.0, 1.5, -1.5, 0.5, -0.5)


def cases(seed: int) -> list[tuple[tuple[int, ...], torch.dtype]]:
    """Batch 1, an odd batch of (B,) logits, and (B, 1) logits in both dtypes, batch sizes from the seed."""
    odd, b2, b3 = draw_shape(seed, (1, 4), (2, 8), (2, 8))
    return [((1,), F32), ((2 * odd + 1,), F64), ((b2, 1), F32), ((b3, 1), F64)]


SATURATED_CASES = [((8,), F32), ((8, 1), F64)]
GRADIENT_CASE = ((6,), F64)


def logits(shape, dtype, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """(real_logits, fake_logits) ~ N(0, 2^2), drawn in float64 and cast."""
    g = seeded(seed)
    return tuple((2 * torch.randn(shape, generator=g, dtype=F64)).to(dtype) for _ in range(2))


def saturated_logits(shape, dtype, seed: int, values=SATURATED) -> tuple[torch.Tensor, torch.Tensor]:
    """Every value once in real and once in fake, each in an order drawn from the seed."""
    g, values = seeded(seed), torch.tensor(values, dtype=F64)
    return tuple(values[torch.randperm(len(values), generator=g)].reshape(shape).to(dtype) for _ in range(2))


def gradients(loss, inputs: list[torch.Tensor]):
    """d loss / d inputs (None for an input the loss does not reach), None when the loss is not a
    differentiable number, or the error backpropagating it raised."""
    if not (isinstance(loss, torch.Tensor) and loss.requires_grad and loss.numel() == 1):
        return None
    try:
        return list(torch.autograd.grad(loss.sum(), inputs, retain_graph=True, allow_unused=True))
    except RuntimeError as exc:
        return f"{type(exc).__name__}: {exc}"[:300]


def call(gan_losses, real, fake, **flag) -> dict:
    """One call on logits computed from leaves, as a discriminator's are: the losses, their gradients
    with respect to the logits (through the leaves), the logits after the call."""
    leaves = [real.clone().requires_grad_(), fake.clone().requires_grad_()]
    real, fake = (leaf * 1 for leaf in leaves)
    out = capture(lambda: gan_losses(real, fake, **flag))
    losses = out.get("result")
    if isinstance(losses, (tuple, list)) and len(losses) == 2:
        out["d_grads"] = gradients(losses[0], leaves)
        out["g_grads"] = gradients(losses[1], leaves[1:])
    out["inputs_after"] = (real.detach(), fake.detach())
    return out


def both_modes(gan_losses, real, fake) -> dict:
    """The default call (non-saturating) and the call with non_saturating=False."""
    return {"default": call(gan_losses, real, fake), "saturating": call(gan_losses, real, fake, non_saturating=False)}


@probe
def basic(gan_losses, seed):
    return {f"case{i}": both_modes(gan_losses, *logits(shape, dtype, seed + i))
            for i, (shape, dtype) in enumerate(cases(seed))}


@probe
def moderate(gan_losses, seed):
    return both_modes(gan_losses, *logits(*GRADIENT_CASE, seed + 20))


@probe
def saturated(gan_losses, seed):
    return {f"case{i}": both_modes(gan_losses, *saturated_logits(shape, dtype, seed + 30 + i))
            for i, (shape, dtype) in enumerate(SATURATED_CASES)}


@probe
def extreme(gan_losses, seed):
    return {f"case{i}": both_modes(gan_losses, *saturated_logits(shape, dtype, seed + 50 + i, EXTREME))
            for i, (shape, dtype) in enumerate(SATURATED_CASES)}


@probe
def device(gan_losses, seed):
    real, fake = logits((4,), F32, seed + 40)
    return run_on_device(lambda move: gan_losses(move(real), move(fake)))
