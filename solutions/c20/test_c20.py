"""Hidden checks of exercise c20, affine_coupling(x, mask, net, reverse=False).

The net is rebuilt here from the run's seed, in float64 with the values the student's copy
holds. The forward output is compared with the layer written with torch.where; its
log-determinant with log |det| of the layer's Jacobian, computed per sample by autograd
(torch.autograd.functional.jacobian, then slogdet): an oracle independent of the (1 - mask) * s
formula. The reverse output x is judged by pushing it forward again: forward(x) must give back
the y it was handed (and its log_det is minus log |det| of the forward Jacobian there). A wrong
result is compared with known wrong formulas on the same inputs, named only when one explains
every wrong case. The net records what it was called on, which the messages mention; no point
rests on that recording. The public check owns the results' types and shapes.
"""

from __future__ import annotations

import pytest
import torch
from torch.autograd.functional import jacobian

from grader.check import expect
from grader.check.expect import mistake
from grader.check.wire import TensorValue

from .probes import F32, F64, case_inputs, cases

TOL = {F64: {"rtol": 1e-7, "atol": 1e-9}, F32: {"rtol": 1e-4, "atol": 1e-5}}


def exact(i: int, seed: int):
    """Case i's net, mask and input in float64."""
    net, mask, x = case_inputs(i, seed)
    return net.to(F64), mask.to(F64), x.to(F64)


def layer(net, mask, x):
    """The forward layer, written with torch.where: kept values pass, the others are scaled and shifted."""
    s, t = net(x * mask)
    return torch.where(mask.bool(), x, x * torch.exp(s) + t)


def log_abs_det(net, mask, x) -> torch.Tensor:
    """log |det d layer / dx| per sample, from autograd's Jacobian."""
    rows = [torch.linalg.slogdet(jacobian(lambda v: layer(net, mask, v[None])[0], x[b]))[1] for b in range(x.shape[0])]
    return torch.stack(rows)


def inverse(net, mask, y):
    """The x with layer(x) = y (checked by pushing it forward again)."""
    s, t = net(y * mask)
    x = torch.where(mask.bool(), y, (y - t) / torch.exp(s))
    assert torch.allclose(layer(net, mask, x), y, rtol=1e-10, atol=1e-10)
    return x


def known_forward(net, mask, x) -> dict[str, tuple]:
    """(output, log_det) of each known wrong forward layer."""
    keep, change = mask, 1 - mask
    s, t = net(x * keep)
    s_all, t_all = net(x)
    s_swap, t_swap = net(x * change)
    return {
        "logdet-not-masked": (None, s.sum(1)),
        "exp-s-summed": (None, (change * torch.exp(s)).sum(1)),
        "shift-before-scale": (x * keep + change * (x + t) * torch.exp(s), None),
        "inverse-convention": (x * keep + change * (x - t) * torch.exp(-s), -(change * s).sum(1)),
        "net-on-unmasked-x": (x * keep + change * (x * torch.exp(s_all) + t_all), (change * s_all).sum(1)),
        "mask-inverted": (x * change + keep * (x * torch.exp(s_swap) + t_swap), (keep * s_swap).sum(1)),
    }


def known_reverse(net, mask, y, forward_named: str | None) -> dict[str, tuple]:
    keep, change = mask, 1 - mask
    s, t = net(y * keep)
    s_all, t_all = net(y)
    s_swap, t_swap = net(y * change)
    wrong_order = y * keep + change * (y * torch.exp(-s) - t)
    known = {
        "logdet-not-masked": (None, -s.sum(1)),
        "exp-s-summed": (None, -(change * torch.exp(s)).sum(1)),
        "net-on-unmasked-x": (y * keep + change * (y - t_all) * torch.exp(-s_all), -(change * s_all).sum(1)),
        "mask-inverted": (y * change + keep * (y - t_swap) * torch.exp(-s_swap), -(keep * s_swap).sum(1)),
        # (y * exp(-s)) - t inverts (x + t) * exp(s): the same mistake when the forward has it
        "shift-before-scale" if forward_named == "shift-before-scale" else "reverse-wrong-order": (wrong_order, None),
    }
    # a forward run backwards gives +sum((1 - mask) s) too: named by the direction the forward shows
    if forward_named == "inverse-convention":
        known["inverse-convention"] = (y * keep + change * (y * torch.exp(s) + t), (change * s).sum(1))
    else:
        known["reverse-logdet-sign"] = (None, (change * s).sum(1))
    return known


def pair(entry: dict, shape) -> tuple[torch.Tensor, torch.Tensor]:
    """(output, log_det) as float64, once the result reads as such; else not judged."""
    value = expect.returned(entry)
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        expect.not_judged(f"your function returned {expect.kind_of(value, values=False)}; this is judged once it "
                          "returns the pair (output, log_det)")
    out = expect.judgeable(value[0], f"an output of shape {tuple(shape)}", shape=shape)
    return out, expect.judgeable(value[1], f"a log_det of shape ({shape[0]},)", shape=(shape[0],))


def called_on(record: dict, x: torch.Tensor, mask: torch.Tensor) -> str:
    """What the recording says the net was first called on, when that was x itself."""
    seen = (record or {}).get("seen") or []
    arg = seen[0]["args"][0] if seen and seen[0].get("args") else None
    if isinstance(arg, TensorValue) and arg.data is not None and arg.data.shape == x.shape and \
            torch.allclose(arg.data.to(F64), x.to(F64)) and not torch.allclose(x * mask, x):
        return " (your net was called on the input itself, not on input * mask)"
    return ""


def judge(probe: dict, seed: int, part: int, reverse: bool, what: str, forward_named: str | None = None) -> None:
    """Judge part 0 (output) or 1 (log_det) of every case; name what explains every wrong one."""
    wrong = []
    for i, (shape, dtype, _) in enumerate(cases(seed)):
        net, mask, x = exact(i, seed)
        got = pair(probe[f"case{i}"], shape)[part]
        with torch.no_grad():
            want = (inverse(net, mask, x) if reverse else layer(net, mask, x)) if part == 0 else None
            known = known_reverse(net, mask, x, forward_named) if reverse else known_forward(net, mask, x)
        if part == 1:
            want = -log_abs_det(net, mask, inverse(net, mask, x).detach()) if reverse else log_abs_det(net, mask, x)
        if not expect.close(got, want.detach(), **TOL[dtype]):
            known = {k: v[part].detach() for k, v in known.items() if v[part] is not None}
            wrong.append((got, want.detach(), known, shape, dtype, called_on(probe[f"net{i}"], x, mask)))
    if wrong:
        got, want, _, shape, dtype, seen = wrong[0]
        mistake(expect.explained_by([(g, k) for g, _, k, *_ in wrong], rtol=1e-4, atol=1e-5),
                f"{what} for x of shape {shape} ({str(dtype)[6:]}): {expect.differ(got, want)}{seen}")


def forward_named(forward: dict, seed: int) -> str | None:
    """The mistake the forward output shows, if any (for the reverse check's diagnosis)."""
    try:
        judge(forward, seed, 0, False, "")
    except expect.Mistake as found:
        return found.id
    except (expect.NotJudged, expect.StudentRaised):
        return None
    return None


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_output_and_log_det(forward, reverse, seed):
    """returns (output, log_det): shapes (B, D) and (B,), x's dtype, in both directions"""
    for probe, direction in ((forward, "forward"), (reverse, "reverse")):
        for i, (shape, dtype, _) in enumerate(cases(seed)):
            value, what = expect.returned(probe[f"case{i}"]), f"the {direction} result for x of shape {shape}"
            if value is None:
                mistake("no-return", f"{what} is None: end your function with `return output, log_det`")
            if not (isinstance(value, (tuple, list)) and len(value) == 2):
                mistake(None, f"{what} should be the pair (output, log_det), but your function returned "
                        f"{expect.kind_of(value)}")
            expect.tensor(value[0], f"the output of {what}", shape=shape, dtype=str(dtype)[6:])
            if isinstance(value[1], TensorValue) and value[1].shape == shape:
                mistake("logdet-per-dim", f"the log_det of {what} has shape {shape}, one value per dimension: "
                        f"sum it over D to get one log-determinant per sample, shape ({shape[0]},)")
            expect.tensor(value[1], f"the log_det of {what}", shape=(shape[0],), dtype=str(dtype)[6:])


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_inputs_unchanged(forward, reverse, seed):
    """leaves x (or y) and mask unchanged"""
    for probe in (forward, reverse):
        for i in range(len(cases(seed))):
            if expect.returned(probe[f"case{i}"]) is None:  # no points for code that returns nothing
                expect.not_judged("your function returned None; this is judged once it returns (output, log_det)")
            _, mask, x = case_inputs(i, seed)
            expect.unchanged(x, probe[f"x{i}"], "x")
            expect.unchanged(mask, probe[f"mask{i}"], "mask")


@pytest.mark.points(2)
def test_forward_output(forward, seed):
    """forward: y = x * mask + (1 - mask) * (x * exp(s) + t), s, t = net(x * mask)"""
    judge(forward, seed, 0, False, "the forward output y")


@pytest.mark.points(2)
def test_forward_log_det(forward, seed):
    """forward: log_det equals log |det dy/dx| of the layer (autograd's Jacobian)"""
    judge(forward, seed, 1, False, "the forward log_det")


@pytest.mark.points(1)
def test_reverse_inverts_forward(reverse, forward, seed):
    """reverse: its output x gives back y when pushed forward through the layer"""
    judge(reverse, seed, 0, True, "the reverse output x", forward_named(forward, seed))


@pytest.mark.points(1)
def test_reverse_log_det(reverse, forward, seed):
    """reverse: log_det equals log |det dx/dy| = minus the forward's at that x"""
    judge(reverse, seed, 1, True, "the reverse log_det", forward_named(forward, seed))


@pytest.mark.points(1)
def test_gradients_reach_x(gradients, forward, seed):
    """output and log_det are differentiable with respect to x, with the right gradients"""
    pair(gradients, cases(seed)[0][0])
    try:
        judge(forward, seed, 0, False, "")
        judge(forward, seed, 1, False, "")
    except AssertionError:
        expect.not_judged("the forward output or log_det is not right yet (see those checks)")
    if not any(v.requires_grad for v in expect.returned(gradients)):
        mistake("detached", "neither the output nor log_det depends on x through autograd: no detach, "
                ".item(), numpy or torch.no_grad() inside the layer")
    net, mask, x = exact(0, seed)
    x.requires_grad_()
    weight = torch.linspace(0.5, 1.5, x.numel(), dtype=F64).view(x.shape)
    s, _ = net(x * mask)
    (want,) = torch.autograd.grad((weight * layer(net, mask, x)).sum() + ((1 - mask) * s).sum(), x)
    got = gradients.get("x_grad")
    got = torch.zeros_like(want) if got is None or got.data is None else got.data.to(F64)
    if not expect.close(got, want, rtol=1e-6, atol=1e-9):
        mistake(None, f"the gradient of sum(w * y) + sum(log_det) with respect to x: {expect.differ(got, want)}")


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the result")
