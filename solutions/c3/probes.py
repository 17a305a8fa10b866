"""Probes of exercise c3, gradient_penalty(critic, real, fake): they run in the student's
isolated process. The student's function gets a critic built here (an nn.Module made from a
seed) that keeps a copy of every batch it is called on, so the grader can recover the
interpolation weights the student's code drew."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from grader.sandbox.probing import capture, probe, run_on_device, seeded, under_seeds

F64, F32 = torch.float64, torch.float32
W_NORM = 0.6  # ||w|| of the linear critics: below 1, and no wrong formula gives (0.6 - 1)^2 = 0.16
HIDDEN = 8
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


BASIC = [Case((5, 2, 3, 3), F64, 1, "linear"), Case((1, 6), F32, 2, "mlp"), Case((7, 6), F64, 3, "mlp"),
         Case((3, 2, 3, 3), F32, 4, "linear")]
LINEAR = [Case((5, 2, 3, 3), F64, 11, "linear"), Case((5, 2, 3, 3), F32, 12, "linear")]
# Samples 1 and 3 (2-D) and 1 (4-D) sit where the tanh units saturate: gradient norm < 1 all
# along their segments; the others have norms > 1 (one-sided and two-sided penalties differ).
MLP = [Case((5, 6), F64, 21, "mlp", (0, 8, 0, 8, 0)), Case((3, 2, 3, 3), F32, 22, "mlp", (0, 20, 0))]
SAMPLE = Case((4000, 3), F64, 31, "linear")
SEEDS = Case((64, 3), F64, 32, "linear")  # three calls under torch.manual_seed, on new inputs each
DEVICE_CASE = Case((4, 2, 2, 2), F32, 41, "mlp")


class RecordingCritic(nn.Module):
    """A critic that keeps a detached copy of every batch it is called on."""

    def __init__(self, net: nn.Module, flat_scores: bool):
        super().__init__()
        self.net = net
        self.flat_scores = flat_scores
        self.seen: list[tuple[torch.Tensor, bool]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append((x.detach().clone(), bool(x.requires_grad)))
        scores = self.net(x.flatten(1))
        return scores.squeeze(-1) if self.flat_scores else scores


def make_net(case: Case) -> nn.Module:
    """The critic's network on flattened inputs, in float64 (cast to the case's dtype by the caller).

    Fixed per case (not drawn from the run's seed): the MLP cases are placed where its tanh
    units saturate, which these weights are known to do.
    """
    g = seeded(1000 + case.seed)
    d = int(torch.Size(case.shape[1:]).numel())
    if case.critic == "linear":
        net = nn.Linear(d, 1, dtype=F64)
        w = torch.randn(d, generator=g, dtype=F64)
        with torch.no_grad():
            net.weight.copy_(W_NORM * w / w.norm())
            net.bias.fill_(0.1)
        return net
    w1 = torch.randn(HIDDEN, d, generator=g, dtype=F64) / d ** 0.5
    c = 0.3 * torch.randn(HIDDEN, generator=g, dtype=F64)
    v = torch.randn(HIDDEN, generator=g, dtype=F64)
    v = v * 1.5 / (w1.T @ (v * (1 - torch.tanh(c) ** 2))).norm()  # gradient norm 1.5 at the origin
    net = nn.Sequential(nn.Linear(d, HIDDEN, dtype=F64), nn.Tanh(), nn.Linear(HIDDEN, 1, dtype=F64))
    with torch.no_grad():
        net[0].weight.copy_(w1)
        net[0].bias.copy_(c)
        net[2].weight.copy_(v.unsqueeze(0))
        net[2].bias.fill_(0.05)
    return net


def make_critic(case: Case) -> RecordingCritic:
    return RecordingCritic(make_net(case).to(case.dtype), flat_scores=case.critic == "mlp")


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


def interpolates_seen(critic: RecordingCritic):
    """The batches the critic saw with requires_grad, one row per sample (None if none)."""
    rows = [x.flatten(1) for x, requires_grad in critic.seen if requires_grad and x.dim() >= 2]
    try:
        return torch.cat(rows) if rows else None
    except RuntimeError:
        return None


def parameter_grads(critic: RecordingCritic, gp):
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
    out.update(x_hat=interpolates_seen(critic), calls=[list(x.shape) for x, _ in critic.seen])
    if backward:
        out["grads"] = parameter_grads(critic, out.get("result"))
    if keep_inputs:
        out.update(real=real, fake=fake)  # as the function left them
    return out


@probe
def basic(gradient_penalty, seed):
    return {f"case{i}": run_case(gradient_penalty, case, seed, backward=False, keep_inputs=True)
            for i, case in enumerate(BASIC)}


@probe
def linear(gradient_penalty, seed):
    return {f"case{i}": run_case(gradient_penalty, case, seed, generated=True) for i, case in enumerate(LINEAR)}


@probe
def mlp(gradient_penalty, seed):
    return {f"case{i}": run_case(gradient_penalty, case, seed, generated=True) for i, case in enumerate(MLP)}


@probe
def sample(gradient_penalty, seed):
    return {f"call{i}": run_case(gradient_penalty, SAMPLE, seed, backward=False) for i in (1, 2)}


@probe
def seeds(gradient_penalty, seed):
    calls = iter(range(3))
    return under_seeds(lambda: run_case(gradient_penalty, SEEDS, seed + next(calls), backward=False), seed)


@probe
def device(gradient_penalty, seed):
    critic, (real, fake) = make_critic(DEVICE_CASE), make_inputs(DEVICE_CASE, seed)
    return run_on_device(lambda move: gradient_penalty(critic, move(real), move(fake)))
