"""Probes of exercise c15, guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale): they run
in the student's isolated process. The model is a known conditional function in a Recorder:
eps(x, t, c) = a_t g(c) x + h(c), with g and h from class labels (a table) or embeddings (a
linear map), so both the conditional and the unconditional predictions are known to the grader.
Shapes and values are drawn from the run's seed (the grader redraws them)."""

import torch
from torch import nn

from grader.sandbox.models import Recorder, constant
from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded

F64, F32 = torch.float64, torch.float32
T, CLASSES, K = 10, 5, 4
A = torch.linspace(0.2, 1.0, T, dtype=F64)


def params(kind, dim, seed):
    """The model's constants: a shift per condition and a gain per condition."""
    g = seeded(seed)
    if kind == "labels":
        return torch.randn(CLASSES + 1, dim, generator=g, dtype=F64), 1 + 0.5 * torch.rand(CLASSES + 1, generator=g, dtype=F64)
    return torch.randn(K, dim, generator=g, dtype=F64) / K**0.5, torch.randn(K, generator=g, dtype=F64) / K**0.5


def evaluate(kind, a, shift, gain, x, t, c):
    """eps(x, t, c) = a_t g(c) x + h(c), computed in float64 (the definition both sides use)."""
    lead = (-1,) + (1,) * (x.dim() - 1)
    if kind == "labels":
        h, g = shift[c], gain[c]
    else:
        h, g = c.to(F64) @ shift, 1 + 0.5 * torch.tanh(c.to(F64) @ gain)
    return a[t].view(lead) * g.view(lead) * x.to(F64) + h.view(x.shape)


class CondEps(nn.Module):
    def __init__(self, kind, dim, seed):
        super().__init__()
        self.kind = kind
        shift, gain = params(kind, dim, seed)
        self.a, self.shift, self.gain = constant(A.clone()), constant(shift), constant(gain)

    def forward(self, x, t, c):
        return evaluate(self.kind, self.a, self.shift, self.gain, x, t, c).to(x.dtype)


def cases(seed):
    """(shape, dtype, kind, w): large, moderate and small w, w = 0 and 1, batch 1, an image batch."""
    b, d = draw_shape(seed, (2, 7), (2, 5))
    c = draw_shape(seed + 1, (2, 4))[0]
    return [((b, d), F64, "embeddings", 7.5), ((c, 2, 3, 3), F32, "labels", 3.0), ((1, 3), F64, "embeddings", 2.0),
            ((b, d), F64, "labels", 0.0), ((b, d), F64, "embeddings", 1.0), ((c, 3), F32, "embeddings", 0.5)]


def inputs(case, seed):
    """x_t, t, cond, null_cond; null_cond is one fixed "no condition" input for every sample."""
    shape, dtype, kind, _ = case
    g, b = seeded(seed), shape[0]
    x = torch.randn(shape, generator=g, dtype=F64).to(dtype)
    t = torch.randint(0, T, (b,), generator=g)
    if kind == "labels":
        return x, t, torch.randint(0, CLASSES, (b,), generator=g), torch.full((b,), CLASSES)
    return x, t, torch.randn(b, K, generator=g, dtype=F64).to(dtype), torch.randn(1, K, generator=g, dtype=F64).to(dtype).expand(b, K).clone()


def model(case, seed):
    shape, _, kind, _ = case
    return Recorder(CondEps(kind, int(torch.Size(shape[1:]).numel()), seed))


@probe
def guided(guided_eps, seed):
    out = {}
    for i, case in enumerate(cases(seed)):
        eps, (x, t, c, n) = model(case, seed + 100 + i), inputs(case, seed + 10 + i)
        out[f"case{i}"] = capture(lambda: guided_eps(eps, x, t, c, n, case[3]))  # noqa: B023 - called at once
        out[f"calls{i}"] = [[tuple(a.shape) if isinstance(a, torch.Tensor) else repr(a)[:40] for a in call["args"]]
                            for call in eps.seen[:4]]
        out[f"after{i}"] = (x, t, c, n)
    return out


@probe
def gradients(guided_eps, seed):
    case = cases(seed)[0]
    eps, (x, t, c, n) = model(case, seed + 100), inputs(case, seed + 10)
    x.requires_grad_()
    out = capture(lambda: guided_eps(eps, x, t, c, n, case[3]))
    result = out.get("result")
    if isinstance(result, torch.Tensor) and result.requires_grad and result.shape == x.shape:
        result.sum().backward()
    return {**out, "grad": x.grad}


@probe
def device(guided_eps, seed):
    case = cases(seed)[1]
    eps, (x, t, c, n) = model(case, seed + 101), inputs(case, seed + 11)
    return run_on_device(lambda move: guided_eps(eps, move(x), move(t), move(c), move(n), case[3]))
