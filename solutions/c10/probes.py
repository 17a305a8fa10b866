"""Probes of exercise c10, wgan_gp_critic_step(critic, optimizer, real, fake, lambda_gp=10.0): they
run in the student's isolated process. The function gets a recording critic (a known network in a
Recorder), a recording SGD optimizer, parameter gradients pre-filled with stale values (a missing
zero_grad shows in the update) and a fake batch made by a small generator (a gradient reaching it
shows that fake was not detached). The probes send what the grader needs to recompute the step:
the batches the critic saw, the parameters after the call, the optimizer's calls."""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from grader.sandbox.models import FlatCritic, Recorder, RecordingSGD, critic_net
from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded, under_seeds

F64, F32 = torch.float64, torch.float32
LR = 0.05
Z_DIM = 3


@dataclass(frozen=True)
class Case:
    shape: tuple
    dtype: torch.dtype
    seed: int
    critic: str  # "linear": scores (B, 1), gradient norm 0.6 everywhere; "mlp": a tanh MLP, scores (B,)
    lambda_gp: float | None = None  # None: the function's default (10) is left in place

    @property
    def lam(self) -> float:
        return 10.0 if self.lambda_gp is None else self.lambda_gp

    def describe(self) -> str:
        kind = "a linear critic" if self.critic == "linear" else "a small tanh MLP critic"
        given = "the default lambda_gp" if self.lambda_gp is None else f"lambda_gp = {self.lambda_gp:g}"
        return f"{kind}, a batch of {self.shape[0]} inputs of shape {self.shape[1:]} ({str(self.dtype)[6:]}), {given}"


def cases(seed: int) -> list[Case]:
    """Shapes drawn from the run's seed, batch >= 2 (a shared eps is invisible at batch 1); a
    lambda_gp other than 10 where the default would hide an ignored one."""
    b1, d1, b2, c, h, b3, d3 = draw_shape(seed + 90, (2, 6), (2, 7), (2, 5), (1, 3), (2, 4), (3, 7), (2, 6))
    return [Case((b1, d1), F64, seed, "linear", 3.7), Case((b2, c, h, h), F32, seed + 1, "mlp"),
            Case((b3, d3), F64, seed + 2, "mlp", 3.7)]


def sample_case(seed: int) -> Case:
    return Case((2000, 3), F64, seed + 20, "linear")


def numel(case: Case) -> int:
    return int(torch.Size(case.shape[1:]).numel())


def make_net(case: Case) -> nn.Module:
    """The critic's network, drawn from the case's seed, in the case's dtype."""
    return critic_net(case.critic, numel(case), 1000 + case.seed).to(case.dtype)


def make_real(case: Case) -> torch.Tensor:
    return torch.randn(case.shape, generator=seeded(case.seed), dtype=F64).to(case.dtype)


def make_generator(case: Case) -> tuple[nn.Module, torch.Tensor]:
    """A Linear "generator" and its latent z: generator(z) is the fake batch, and requires grad."""
    g = seeded(2000 + case.seed)
    generator = nn.Linear(Z_DIM, numel(case), dtype=F64)
    with torch.no_grad():
        generator.weight.copy_(torch.randn(numel(case), Z_DIM, generator=g, dtype=F64))
        generator.bias.copy_(0.5 * torch.randn(numel(case), generator=g, dtype=F64))
    z = torch.randn(case.shape[0], Z_DIM, generator=g, dtype=F64)
    return generator.to(case.dtype), z.to(case.dtype)


def make_fake(generator: nn.Module, z: torch.Tensor, case: Case) -> torch.Tensor:
    return generator(z).reshape(case.shape)


def stale_grads(case: Case, parameters) -> list[torch.Tensor]:
    """What a previous step left in .grad: standard normal values drawn from the case's seed."""
    g = seeded(3000 + case.seed)
    return [torch.randn(p.shape, generator=g, dtype=F64).to(case.dtype) for p in parameters]


def call(step, case: Case) -> dict:
    """The returned loss (or the error), the rows the critic saw, the parameters after the call, the
    optimizer's events, the generator's gradient, real and fake after the call."""
    critic = Recorder(FlatCritic(make_net(case), flat_scores=case.critic == "mlp"))
    for p, stale in zip(critic.parameters(), stale_grads(case, critic.parameters())):
        p.grad = stale
    optimizer = RecordingSGD(critic.parameters(), lr=LR)
    generator, z = make_generator(case)
    real, fake = make_real(case), make_fake(generator, z, case)
    lam = () if case.lambda_gp is None else (case.lambda_gp,)
    out = capture(lambda: step(critic, optimizer, real, fake, *lam))
    out.update(seen=seen(critic), events=list(optimizer.events), generator_grad=generator.weight.grad,
               params=[p.detach().clone() for p in critic.parameters()], real=real, fake=fake.detach())
    return out


def seen(critic: Recorder) -> dict:
    """Every row the critic saw, in call order (one tensor), the number of calls and their shapes."""
    return {"rows": critic.rows(), "calls": critic.calls, "shapes": critic.shapes()}


@probe
def basic(step, seed):
    return {f"case{i}": call(step, case) for i, case in enumerate(cases(seed))}


@probe
def sample(step, seed):
    case = sample_case(seed)
    return {"call1": call(step, case), "call2": call(step, case), "seeds": under_seeds(lambda: call(step, case), seed)}


def device_case(seed: int) -> Case:
    return Case((4, 2, 2, 2), F32, seed + 40, "mlp")


@probe
def device(step, seed):
    case = device_case(seed)
    critic = Recorder(FlatCritic(make_net(case), flat_scores=True))
    optimizer = RecordingSGD(critic.parameters(), lr=0.0)
    real, fake = make_real(case), make_fake(*make_generator(case), case).detach()
    # fake requires grad on the device, as a generator's output does (a leaf: no generator goes along)
    out = run_on_device(lambda move: step(critic, optimizer, move(real), move(fake).requires_grad_(True)))
    out["seen"] = seen(critic)
    if isinstance(out["seen"]["rows"], torch.Tensor):  # its values, which a tensor "on the device" does not carry
        out["seen"]["rows"] = out["seen"]["rows"].as_subclass(torch.Tensor)
    return out
