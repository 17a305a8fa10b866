"""Probes of exercise c20, affine_coupling(x, mask, net, reverse=False): they run in the
student's isolated process. The net handed to the student's function is a small MLP built
here from the run's seed (the grader rebuilds it, and the inputs and masks, exactly), wrapped
in a Recorder so the grader can say what the net was called on."""

import torch
from torch import nn

from grader.sandbox.models import Recorder
from grader.sandbox.probing import capture, draw_shape, probe, run_on_device, seeded

F64, F32 = torch.float64, torch.float32
HIDDEN = 8


class CouplingNet(nn.Module):
    """(s, t) from a tanh MLP; s of order 1, so exp(s) and s differ clearly."""

    def __init__(self, d: int, seed: int, dtype: torch.dtype):
        super().__init__()
        g = seeded(seed)
        self.hidden, self.out = nn.Linear(d, HIDDEN, dtype=F64), nn.Linear(HIDDEN, 2 * d, dtype=F64)
        with torch.no_grad():
            for p in self.parameters():
                p.copy_(torch.randn(p.shape, generator=g, dtype=F64) * (0.9 if p.dim() == 2 else 0.4))
        self.to(dtype)

    def forward(self, x):
        s, t = self.out(torch.tanh(self.hidden(x))).chunk(2, dim=1)
        return 0.6 * s, t


def cases(seed):
    """(shape, dtype, mask name) of each case; sizes drawn from the run's seed."""
    b, d = draw_shape(seed, (3, 6), (4, 7))
    return [((b, d), F64, "alternate"), ((1, d + 1), F32, "half"), ((b + 2, d), F64, "drawn"),
            ((b, d + 2), F32, "alternate")]


def make_mask(d: int, kind: str, seed: int, dtype) -> torch.Tensor:
    if kind == "alternate":
        mask = torch.arange(d) % 2 == 0
    elif kind == "half":
        mask = torch.arange(d) < d // 2
    else:  # at least one of each
        mask = torch.rand(d, generator=seeded(seed)) < 0.5
        mask[0], mask[-1] = True, False
    return mask.to(dtype)


def case_inputs(i, seed):
    """The net, mask and input (x forward, y reverse) of case i."""
    (b, d), dtype, kind = cases(seed)[i]
    x = 1.2 * torch.randn(b, d, generator=seeded(seed + 100 + i), dtype=F64)
    return CouplingNet(d, seed + 50 + i, dtype), make_mask(d, kind, seed + 70 + i, dtype), x.to(dtype)


def run(affine_coupling, seed, reverse):
    out = {}
    for i in range(len(cases(seed))):
        net, mask, x = case_inputs(i, seed)
        recorder = Recorder(net)
        out[f"case{i}"] = capture(lambda: affine_coupling(x, mask, recorder, reverse=reverse))  # noqa: B023
        out[f"x{i}"], out[f"mask{i}"], out[f"net{i}"] = x, mask, recorder.record()
    return out


@probe
def forward(affine_coupling, seed):
    return run(affine_coupling, seed, False)


@probe
def reverse(affine_coupling, seed):
    return run(affine_coupling, seed, True)


@probe
def gradients(affine_coupling, seed):
    net, mask, x = case_inputs(0, seed)
    x.requires_grad_()
    made = capture(lambda: affine_coupling(x, mask, net))
    result = made.get("result")
    if isinstance(result, (tuple, list)) and len(result) == 2 and all(isinstance(r, torch.Tensor) for r in result):
        y, log_det = result
        if y.requires_grad or log_det.requires_grad:
            (y * torch.linspace(0.5, 1.5, y.numel(), dtype=y.dtype).view(y.shape)).sum().add(log_det.sum()).backward()
    return {**made, "x_grad": x.grad}


@probe
def device(affine_coupling, seed):
    net, mask, x = case_inputs(0, seed)
    return run_on_device(lambda move: affine_coupling(move(x), move(mask), net))
