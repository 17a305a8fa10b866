"""Models a probe hands to the student's function: they record how they were called, and some
answer from a known formula, so the grader can recover what the code drew and compute the exact
result it should have produced.

They run in the student's process, so a submission could rewrite what they record: a suite
gives points on a recording only where a forged one would have to be consistent with the
values the function returned (the README lists, per exercise, the points that rest on them).
Their constants are Parameters (requires_grad=False) so that the device check counts them as
living with the model, on the inputs' device, as a real model's weights would.
"""

from __future__ import annotations

from typing import Any, Callable

import torch
from torch import nn

from grader.sandbox.probing import copied

MAX_RECORDED_CALLS = 4096  # calls past this are counted, not copied


class Recorder(nn.Module):
    """Wraps a model (a module or a function) and keeps, for every call, a detached copy of its
    arguments and whether each tensor required grad, for the first `limit` calls; `calls` counts
    them all (a training loop makes thousands: keep a few)."""

    def __init__(self, model: nn.Module | Callable[..., Any], limit: int = MAX_RECORDED_CALLS):
        super().__init__()
        self.model, self.limit = model, limit
        self.calls = 0
        self.seen: list[dict[str, Any]] = []

    def forward(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if len(self.seen) < self.limit:
            self.seen.append({"args": [copied(a) for a in args], "kwargs": {k: copied(v) for k, v in kwargs.items()},
                              "requires_grad": [bool(getattr(a, "requires_grad", False)) for a in args]})
        return self.model(*args, **kwargs)

    def record(self) -> dict[str, Any]:
        """What the grader receives: the number of calls and the copies kept."""
        return {"calls": self.calls, "seen": self.seen}

    def shapes(self) -> list[Any]:
        """The shape of each recorded call's first argument (None where it is not a tensor)."""
        return [list(s["args"][0].shape) if s["args"] and isinstance(s["args"][0], torch.Tensor) else None
                for s in self.seen]

    def rows(self, requiring_grad: bool = False) -> torch.Tensor | None:
        """The recorded calls' first arguments (only those that required grad, if asked), one row per
        sample, concatenated in call order: a per-sample loop's thousands of calls travel as one
        tensor. None when there are none or their rows differ in width."""
        rows = [s["args"][0].flatten(1) for s in self.seen if s["args"] and isinstance(s["args"][0], torch.Tensor)
                and s["args"][0].dim() >= 2 and (s["requires_grad"][0] or not requiring_grad)]
        try:
            return torch.cat(rows) if rows else None
        except RuntimeError:
            return None


class FlatCritic(nn.Module):
    """A critic on flattened samples, net(x.flatten(1)): scores (B, 1), or (B,) with flat_scores."""

    def __init__(self, net: nn.Module, flat_scores: bool):
        super().__init__()
        self.net, self.flat_scores = net, flat_scores

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        scores = self.net(x.flatten(1))
        return scores.squeeze(-1) if self.flat_scores else scores


def critic_net(kind: str, d: int, seed: int, w_norm: float = 0.6, hidden: int = 8) -> nn.Module:
    """A WGAN critic's network on d inputs, float64, fixed by `seed`: "linear" has gradient w with
    ||w|| = w_norm everywhere (below 1, so a one-sided penalty shows); "mlp" is a tanh MLP whose
    gradient norm is 1.5 at the origin and falls below 1 where its units saturate."""
    g = torch.Generator().manual_seed(seed)
    if kind == "linear":
        net = nn.Linear(d, 1, dtype=torch.float64)
        w = torch.randn(d, generator=g, dtype=torch.float64)
        with torch.no_grad():
            net.weight.copy_(w_norm * w / w.norm())
            net.bias.fill_(0.1)
        return net
    w1 = torch.randn(hidden, d, generator=g, dtype=torch.float64) / d ** 0.5
    c = 0.3 * torch.randn(hidden, generator=g, dtype=torch.float64)
    v = torch.randn(hidden, generator=g, dtype=torch.float64)
    v = v * 1.5 / (w1.T @ (v * (1 - torch.tanh(c) ** 2))).norm()
    net = nn.Sequential(nn.Linear(d, hidden, dtype=torch.float64), nn.Tanh(), nn.Linear(hidden, 1, dtype=torch.float64))
    with torch.no_grad():
        net[0].weight.copy_(w1)
        net[0].bias.copy_(c)
        net[2].weight.copy_(v.unsqueeze(0))
        net[2].bias.fill_(0.05)
    return net


def constant(value: torch.Tensor) -> nn.Parameter:
    return nn.Parameter(value, requires_grad=False)


class GaussianEps(nn.Module):
    """The exact noise prediction E[eps | x_t] when the data are x0 ~ N(mean, std^2), independently
    per element, and x_t = sqrt(ab_t) x0 + sqrt(1 - ab_t) eps:

        eps(x_t, t) = sqrt(1 - ab_t) (x_t - sqrt(ab_t) mean) / (ab_t std^2 + 1 - ab_t).

    `t` is a LongTensor (B,) (or an int, for the whole batch); the coefficients broadcast over all
    of x_t's non-batch dims; the result has x_t's dtype. Every step of a sampler driven by it is
    affine in x_t, so the output distribution is known exactly (grader.check.gaussian)."""

    def __init__(self, betas: torch.Tensor, mean: float | torch.Tensor = 0.0, std: float | torch.Tensor = 1.0):
        super().__init__()
        alpha_bar = torch.cumprod(1 - betas.detach().to(torch.float64), 0)
        mean, std = (torch.as_tensor(v, dtype=torch.float64) for v in (mean, std))
        self.alpha_bar, self.mean, self.std = constant(alpha_bar), constant(mean), constant(std)

    def forward(self, x: torch.Tensor, t: torch.Tensor | int) -> torch.Tensor:
        try:
            ab = self.alpha_bar[t] if isinstance(t, int) else self.alpha_bar[t.long()].view(-1, *[1] * (x.dim() - 1))
        except IndexError:  # said in the student's terms: the step is theirs, not this model's
            n = len(self.alpha_bar)
            bad = t if isinstance(t, int) else next(int(v) for v in t.long().flatten().tolist() if not -n <= v < n)
            raise IndexError(f"eps_model was called with t = {bad}; t must lie in 0..{n - 1}, "
                             "a 0-based step of the schedule") from None
        scale = (1 - ab).sqrt() / (ab * self.std**2 + 1 - ab)
        return (scale * (x.to(torch.float64) - ab.sqrt() * self.mean)).to(x.dtype)


class GainedEps(nn.Module):
    """GaussianEps's prediction times a trainable gain, 1 at the start: a parameter the graph of
    a loss must reach, and one a sampler run without torch.no_grad() would keep a graph to."""

    def __init__(self, betas: torch.Tensor, mean: float = 0.0, std: float = 1.0):
        super().__init__()
        self.eps = GaussianEps(betas, mean, std)
        self.gain = nn.Parameter(torch.ones((), dtype=betas.dtype))

    def forward(self, x: torch.Tensor, t: torch.Tensor | int) -> torch.Tensor:
        return self.gain.to(x.dtype) * self.eps(x, t)


class RecordingSGD:
    """A duck-typed optimizer (constructing a torch.optim one imports torch._dynamo, ~1.2 s): plain
    SGD, p -= lr * p.grad, so its effect on the parameters is known exactly. `events` records the
    order of zero_grad and step calls; `param_groups`, `state` and `defaults` exist for code that
    reads them. With lr = 0 step does no arithmetic (the device check's stand-in grads are CPU
    tensors, which the device spy would report as the student's)."""

    def __init__(self, params, lr: float):
        self.param_groups = [{"params": list(params), "lr": lr}]
        self.defaults, self.state = {"lr": lr}, {}
        self.events: list[str] = []

    def zero_grad(self, set_to_none: bool = True) -> None:
        self.events.append("zero_grad")
        for p in self.param_groups[0]["params"]:
            if set_to_none:
                p.grad = None
            elif p.grad is not None:
                p.grad.detach_().zero_()

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        self.events.append("step")
        group = self.param_groups[0]
        if group["lr"]:
            with torch.no_grad():
                for p in group["params"]:
                    if p.grad is not None:
                        p.add_(p.grad, alpha=-group["lr"])
        return loss
