"""Hidden checks of exercise c15, guided_eps(eps_model, x_t, t, cond, null_cond, guidance_scale).

The model handed to the student's code is a known conditional function, eps(x, t, c) =
a_t g(c) x + h(c) (class labels or embeddings), in a Recorder; the grader evaluates it itself
for cond and for null_cond and compares eps_u + w (eps_c - eps_u) with what the code returned,
for w = 7.5, 3, 2 (judged together), and for w = 0, 0.5 and 1, where guidance conventions of
real code part from the contract. When values differ, known wrong combinations ((1 + w) eps_c
- w eps_u, cond and null_cond swapped, the difference left out, guidance switched off for
w <= 1, the unconditional prediction not made with null_cond) are evaluated on the same inputs
and a mistake is named only when it gives the student's result in every wrong case. One call on
the doubled batch or two calls are both fine; the recording shows how the model was called.
"""

import pytest
import torch

from grader.check import expect
from grader.check.expect import mistake

from .probes import F32, F64, cases, evaluate, inputs, params, A


def tolerance(dtype):
    return {"rtol": 1e-4, "atol": 1e-5} if dtype == F32 else {"rtol": 1e-9, "atol": 1e-12}


def predictions(case, seed, i, x=None):
    """(eps_c, eps_u) in float64, and the prediction with zeros as the condition."""
    shape, _, kind, _ = case
    shift, gain = params(kind, int(torch.Size(shape[1:]).numel()), seed + 100 + i)
    x_in, t, c, n = inputs(case, seed + 10 + i)
    x = x_in.to(F64) if x is None else x
    def eps(cond):
        return evaluate(kind, A, shift, gain, x, t, cond)
    zeros = eps(torch.zeros_like(c)) if kind == "embeddings" else None
    return eps(c), eps(n), zeros


def known(case, eps_c, eps_u, zeros):
    w = case[3]
    wrong = {
        "guidance-1-plus-w": (1 + w) * eps_c - w * eps_u,
        "swapped-cond": eps_c + w * (eps_u - eps_c),
        "missing-difference": eps_u + w * eps_c,
        "null-cond-unused": (eps_c,) + ((zeros + w * (eps_c - zeros),) if zeros is not None else ()),
    }
    if w <= 1:
        wrong["small-w-switch"] = eps_c
    return wrong


def wrong_cases(guided, seed, keep):
    wrong = []
    for i, case in enumerate(cases(seed)):
        if not keep(case[3]):
            continue
        got = expect.judgeable(expect.returned(guided[f"case{i}"]), "a tensor shaped like x_t", shape=case[0])
        eps_c, eps_u, zeros = predictions(case, seed, i)
        want = eps_u + case[3] * (eps_c - eps_u)
        if not expect.close(got, want, **tolerance(case[1])):
            wrong.append((got, want, known(case, eps_c, eps_u, zeros), case))
    return wrong


def judge(guided, seed, keep, ruled_out=()):
    """Fail unless the cases `keep` selects are right; `ruled_out`: mistakes the other cases exclude."""
    wrong = wrong_cases(guided, seed, keep)
    for _, _, candidates, _ in wrong:
        for key in ruled_out:
            candidates.pop(key, None)
    if wrong:
        got, want, _, case = wrong[0]
        mistake(expect.explained_by([(g, k) for g, _, k, _ in wrong]),
                f"the guided eps for x_t of shape {case[0]} ({case[2]}), guidance_scale = {case[3]:g}: "
                f"{expect.differ(got, want)}")


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_tensor_like_x_t(guided, seed):
    """returns a tensor shaped like x_t, in its dtype (batch 1, (B, D) and image batches, labels and embeddings)"""
    for i, (shape, dtype, kind, w) in enumerate(cases(seed)):
        value = expect.returned(guided[f"case{i}"])
        if value is None:
            mistake("no-return", "your function returned None: end it with `return eps`")
        expect.tensor(value, f"the guided eps for x_t of shape {shape} (guidance_scale = {w:g})", shape=shape,
                      dtype=str(dtype)[6:])


@pytest.mark.points(1)
def test_model_calls_match_the_batch(guided, seed):
    """the model gets x_t, t and the condition with matching batch sizes (doubled together, or two calls); inputs unchanged"""
    for i, case in enumerate(cases(seed)):
        b = case[0][0]
        for call in guided[f"calls{i}"]:
            if len(call) == 3 and isinstance(call[0], tuple) and isinstance(call[1], tuple) and call[0][0] == 2 * b \
                    and call[1] == (b,) and b > 1:
                mistake("t-not-doubled", f"for a batch of {b} the model got x of {2 * b} rows (x_t doubled) but t of "
                        f"shape ({b},): concatenate t with itself too, torch.cat([t, t])")
            if len(call) == 3 and all(isinstance(a, tuple) for a in call) and len({a[0] for a in call}) != 1:
                mistake(None, f"the model was called with x, t and c of {[a[0] for a in call]} rows: they must agree")
        expect.judgeable(expect.returned(guided[f"case{i}"]), "a tensor")  # no points for code that returns nothing
        for name, before, after in zip(("x_t", "t", "cond", "null_cond"), inputs(case, seed + 10 + i), guided[f"after{i}"]):
            kept = getattr(after, "data", None)
            if kept is None or not torch.equal(kept.to(before.dtype), before):
                mistake(None, f"your function changed its input `{name}` in place: build new tensors (torch.cat)")


@pytest.mark.points(3)
def test_guidance_for_large_scales(guided, seed):
    """eps = eps_u + w (eps_c - eps_u) for w = 7.5, 3 and 2 (labels and embeddings, batch 1, images)"""
    judge(guided, seed, lambda w: w > 1)


@pytest.mark.points(2)
def test_guidance_for_w_0_to_1(guided, seed):
    """w = 0 gives eps_u, w = 1 gives eps_c, w = 0.5 their midpoint: no special case for small w"""
    large_right = not wrong_cases(guided, seed, lambda w: w > 1)  # a switch for w <= 1 leaves them right
    judge(guided, seed, lambda w: w <= 1, ("null-cond-unused",) if large_right else ("small-w-switch",))


@pytest.mark.points(2)
def test_gradient_flows_to_x_t(gradients, seed):
    """the result keeps its graph: d eps / d x_t = a_t (g_u + w (g_c - g_u)), per sample"""
    case = cases(seed)[0]
    got = expect.judgeable(expect.returned(gradients), "a tensor shaped like x_t", shape=case[0])
    eps_c, eps_u, _ = predictions(case, seed, 0)
    if not expect.close(got, eps_u + case[3] * (eps_c - eps_u), **tolerance(case[1])):
        expect.not_judged("the guided eps is not yet right (see its check); its gradient is judged once it is")
    if gradients["grad"] is None:
        mistake("output-detached", "the guided eps has the right values but no gradient reaches x_t: keep it a tensor "
                "computed from the model's outputs (no torch.no_grad(), .detach() or .item())")
    x = inputs(case, seed + 10)[0].to(F64).requires_grad_()
    c_x, u_x, _ = predictions(case, seed, 0, x)
    (want,) = torch.autograd.grad((u_x + case[3] * (c_x - u_x)).sum(), x)
    grad = expect.judgeable(gradients["grad"], "a gradient", shape=case[0])
    if not expect.close(grad, want, rtol=1e-9, atol=1e-12):
        mistake(None, f"d eps / d x_t: {expect.differ(grad, want)}")


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on x_t's device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the guided eps")
