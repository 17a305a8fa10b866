"""Probes of exercise c3, gradient_penalty(critic, real, fake): they run in the student's
isolated process. The student's function gets a critic built here (a known network in a
Recorder) that keeps a copy of every batch it is called on; the probes send the rows it saw
with requires_grad, and the grader recovers from them the weights the code drew.

Shapes: the MLP cases (the segment, penalty and gradient checks) are fixed, because their
samples are placed where these particular weights saturate the tanh units (one-sided and
two-sided penalties then differ); every other case's shape is drawn from the run's seed,
keeping what makes a mistake show: batches > 1, an odd batch and batch 1, and an image case
whose height equals its batch (eps of shape (B, 1) broadcasts there instead of failing)."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from grader.sandbox.models import FlatCritic, Recorder, critic_net
from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded, under_seeds

F64, F32 = torch.float64, torch.float32
W_NORM = 0.6  # ||w|| of the linear critics: below 1, and no wrong formula gives (0.6 - 1)^2 = 0.16
LAMBDA = 10  # the usual weight of the penalty, which the caller applies


@dataclass(frozen=True)
class Case:
    shape: tuple
    dtype: torch.dtype
    seed: int
    critic: str  # "linear": scores (B, 1); "mlp": a tanh MLP, scores (B,)
    centers: tuple = ()  # per sample, how far from the origin real and fake sit (saturates the MLP)

    @property
    def batch(self) -> int:
        return self.shape[0]

    def describe(self) -> str:
        kind = f"a linear critic (gradient w with ||w|| = {W_NORM} everywhere)" if self.critic == "linear" \
            else "a small tanh MLP critic"
        return f"{kind}, a batch of {self.batch} inputs of shape {self.shape[1:]}, {str(self.dtype)[6:]}"


def basic_cases(seed: int) -> list[Case]:
    """Batch > 1 in 4-D, batch 1, an odd batch in 2-D, and a 4-D batch whose height equals its batch."""
    b0, c0, h0, w0, d1, k2, d2, b3, c3, w3 = draw_shape(seed + 60, (3, 6), (1, 3), (2, 4), (2, 4), (3, 8), (1, 4),
                                                        (3, 8), (2, 4), (1, 3), (2, 4))
    return [Case((b0, c0, h0, w0), F64, 1, "linear"), Case((1, d1), F32, 2, "mlp"),
            Case((2 * k2 + 1, d2), F64, 3, "mlp"), Case((b3, c3, b3, w3), F32, 4, "linear")]


def linear_cases(seed: int) -> list[Case]:
    shape = draw_shape(seed + 61, (3, 6), (1, 3), (2, 4), (2, 4))
    return [Case(shape, F64, 11, "linear"), Case(shape, F32, 12, "linear")]


# Fixed: samples 1 and 3 (2-D) and 1 (4-D) sit where the tanh units saturate: gradient norm < 1
# all along their segments; the others have norms > 1 (one-sided and two-sided penalties differ).
MLP = [Case((5, 6), F64, 21, "mlp", (0, 8, 0, 8, 0)), Case((3, 2, 3, 3), F32, 22, "mlp", (0, 20, 0))]


def sample_case(seed: int) -> Case:
    return Case((4000, draw_shape(seed + 62, (2, 4))[0]), F64, 31, "linear")


def seeds_case(seed: int) -> Case:
    """Three calls under torch.manual_seed, on new inputs each."""
    return Case((64, draw_shape(seed + 63, (2, 4))[0]), F64, 32, "linear")


def device_case(seed: int) -> Case:
    return Case((4, *draw_shape(seed + 64, (1, 3), (2, 3), (2, 3))), F32, 41, "mlp")


def make_net(case: Case) -> nn.Module:
    """The critic's network on flattened inputs, in float64 (cast to the case's dtype by the caller),
    fixed by the case's own seed (the MLP cases' placement relies on these weights)."""
    return critic_net(case.critic, int(torch.Size(case.shape[1:]).numel()), 1000 + case.seed, W_NORM)


def make_critic(case: Case) -> Recorder:
    return Recorder(FlatCritic(make_net(case).to(case.dtype), flat_scores=case.critic == "mlp"))


def make_inputs(case: Case, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """real and fake for a case and the run's seed. Saturating cases keep their placement and
    get a small run-seeded jitter; the others are drawn from the run's seed outright."""
    shape, lead = case.shape, (-1,) + (1,) * (len(case.shape) - 1)
    if case.centers:
        g, jitter = seeded(case.seed), seeded(seed + case.seed)
        direction = torch.randn(shape, generator=g, dtype=F64)
        direction = direction / direction.flatten(1).norm(dim=1).view(lead)
        center = torch.tensor(case.centers, dtype=F64).view(lead) * direction
        real = center + 0.5 * torch.randn(shape, generator=g, dtype=F64) + 0.01 * torch.randn(shape, generator=jitter, dtype=F64)
        fake = center + 0.5 * torch.randn(shape, generator=g, dtype=F64) + 0.01 * torch.randn(shape, generator=jitter, dtype=F64)
    else:
        g = seeded(seed + case.seed)
        real = torch.randn(shape, generator=g, dtype=F64)
        step = torch.randn(shape, generator=g, dtype=F64)
        length = 1 + torch.rand(shape[0], generator=g, dtype=F64)  # ||real - fake|| in [1, 2]: eps is well recovered
        fake = real + (length / step.flatten(1).norm(dim=1)).view(lead) * step
    return real.to(case.dtype), fake.to(case.dtype)


def parameter_grads(critic: Recorder, gp):
    """Backpropagate the penalty into the critic: its parameters' grads, or why not."""
    if not (isinstance(gp, torch.Tensor) and gp.requires_grad):
        return None
    try:
        gp.sum().backward()
    except RuntimeError as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    return [p.grad for p in critic.parameters()]


def run_case(gradient_penalty, case: Case, seed: int, *, backward: bool = True, keep_inputs: bool = False,
             generated: bool = False):
    """The penalty (or the error raised), the interpolates the critic saw, and the critic's grads.
    `generated`: fake requires grad, as a generator's output does in a training loop (else it is a
    plain tensor, as after fake.detach() in a critic step)."""
    critic = make_critic(case)
    real, fake = make_inputs(case, seed)
    if generated:
        fake = fake.detach().requires_grad_(True)
    out = capture(lambda: gradient_penalty(critic, real, fake))
    out.update(x_hat=critic.rows(requiring_grad=True), calls=critic.shapes())
    if backward:
        out["grads"] = parameter_grads(critic, out.get("result"))
    if keep_inputs:
        out.update(real=real, fake=fake)  # as the function left them
    return out


@probe
def basic(gradient_penalty, seed):
    return {f"case{i}": run_case(gradient_penalty, case, seed, backward=False, keep_inputs=True)
            for i, case in enumerate(basic_cases(seed))}


@probe
def linear(gradient_penalty, seed):
    return {f"case{i}": run_case(gradient_penalty, case, seed, generated=True) for i, case in enumerate(linear_cases(seed))}


@probe
def mlp(gradient_penalty, seed):
    return {f"case{i}": run_case(gradient_penalty, case, seed, generated=True) for i, case in enumerate(MLP)}


@probe
def sample(gradient_penalty, seed):
    return {f"call{i}": run_case(gradient_penalty, sample_case(seed), seed, backward=False) for i in (1, 2)}


@probe
def seeds(gradient_penalty, seed):
    calls = iter(range(3))
    case = seeds_case(seed)
    return under_seeds(lambda: run_case(gradient_penalty, case, seed + next(calls), backward=False), seed)


@probe
def device(gradient_penalty, seed):
    case = device_case(seed)
    critic, (real, fake) = make_critic(case), make_inputs(case, seed)
    return run_on_device(lambda move: gradient_penalty(critic, move(real), move(fake)))
