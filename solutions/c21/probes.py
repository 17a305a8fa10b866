"""Probes of exercise c21, flow_log_prob(flow, x): they run in the student's isolated process.
The flow handed to the student's function is built here from the run's seed; the grader
rebuilds it, and the inputs, exactly."""

import torch
from torch import nn

from grader.sandbox.probing import backward_if_possible, capture, draw_shape, probe, run_on_device, seeded

F64, F32 = torch.float64, torch.float32


class ElementwiseFlow(nn.Module):
    """z = a * x + b + c * tanh(x), one (a, b, c) per value of a sample, with a > |c| so that
    dz/dx > 0; log_det = sum over non-batch dims of log(a + c * (1 - tanh(x)^2)), shape (B,)."""

    def __init__(self, shape, seed: int, dtype: torch.dtype, affine: bool = False):
        super().__init__()
        g = seeded(seed)
        a = 0.5 + torch.rand(shape, generator=g, dtype=F64)
        b = torch.randn(shape, generator=g, dtype=F64)
        c = 0.45 * (2 * torch.rand(shape, generator=g, dtype=F64) - 1) * (not affine)
        self.a, self.b, self.c = (nn.Parameter(v.to(dtype)) for v in (a, b, c))

    def forward(self, x):
        slope = self.a + self.c * (1 - torch.tanh(x) ** 2)
        z = self.a * x + self.b + self.c * torch.tanh(x)
        return z, torch.log(slope).flatten(1).sum(dim=1)


def cases(seed):
    """(shape, dtype, affine) of each value case; sizes drawn from the run's seed."""
    b, d = draw_shape(seed, (3, 7), (2, 6))
    c, h = draw_shape(seed + 1, (2, 3), (2, 4))
    return [((b, d), F64, True), ((1, d + 1), F32, False), ((b + 1, d), F64, False),
            ((b, c, h, h + 1), F64, False), ((2, c, h + 1, h), F32, False)]


def inputs(i, seed):
    """The flow and x of case i (x drawn in float64, then cast)."""
    shape, dtype, affine = cases(seed)[i]
    flow = ElementwiseFlow(shape[1:], seed + 50 + i, dtype, affine)
    x = 1.5 * torch.randn(shape, generator=seeded(seed + 100 + i), dtype=F64)
    return flow, x.to(dtype)


def run(flow_log_prob, indices, seed):
    out = {}
    for i in indices:
        flow, x = inputs(i, seed)
        out[f"case{i}"] = capture(lambda: flow_log_prob(flow, x))  # noqa: B023 - called at once
        out[f"x{i}"] = x
    return out


@probe
def flat(flow_log_prob, seed):
    return run(flow_log_prob, (0, 1, 2), seed)


@probe
def image(flow_log_prob, seed):
    return run(flow_log_prob, (3, 4), seed)


@probe
def gradients(flow_log_prob, seed):
    flow, x = inputs(2, seed)
    x.requires_grad_()
    made = capture(lambda: flow_log_prob(flow, x))
    weight = torch.rand(x.shape[0], generator=seeded(seed + 7), dtype=F64) + 0.5
    backward_if_possible(made.get("result"), x[:, 0], weight)
    return {**made, "x_grad": x.grad, "a_grad": flow.a.grad, "b_grad": flow.b.grad, "c_grad": flow.c.grad}


@probe
def device(flow_log_prob, seed):
    flow, x = inputs(3, seed)
    return run_on_device(lambda move: flow_log_prob(flow, move(x)))
