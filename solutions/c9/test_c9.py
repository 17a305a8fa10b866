"""Hidden checks of exercise c9, gan_losses(real_logits, fake_logits, non_saturating=True).

The losses are deterministic. Their values are compared with an oracle written with
logaddexp (log sigmoid(x) = -log(1 + e^-x), log(1 - sigmoid(x)) = -log(1 + e^x), exact at any
logit), their gradients with the closed form d log(1 + e^x) / dx = sigmoid(x). When wrong, they
are compared with known wrong formulas run here on the same logits, in the same dtype: a mistake
is named only when its formula gives the student's result in every wrong case. Values and
gradients are checked at moderate logits and at logits up to +-100, where sigmoid rounds to 0 or
1: sigmoid then log gives inf there, and sigmoid then F.binary_cross_entropy gives the right
value (torch clamps the log at -100) but zero gradients, which only the gradient check at
saturated logits sees. The public check owns the type, shape and dtype of the pair; the others
judge values once each loss is one number. Formulas are judged to 1e-5 relative in both dtypes,
so a float32 detour is not a formula error.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from grader.check import expect
from grader.check.expect import finite, mistake

from .probes import EXTREME, F64, GRADIENT_CASE, SATURATED_CASES, cases, logits, saturated_logits

TOL = {"rtol": 1e-5, "atol": 1e-6}
EPSILONS = (1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5)  # added inside the log by tutorials


def softplus(x):
    """log(1 + e^x), exact at any x."""
    return torch.logaddexp(torch.zeros_like(x), x)


RIGHT = {"d": lambda r, f: softplus(-r).mean() + softplus(f).mean(),
         "ns": lambda r, f: softplus(-f).mean(),
         "sat": lambda r, f: -softplus(f).mean()}
WHAT = {"d": "d_loss", "ns": "g_loss (non-saturating)", "sat": "g_loss with non_saturating=False"}


def analytic_gradients(kind: str, r: torch.Tensor, f: torch.Tensor) -> list[torch.Tensor]:
    """d loss / d (real, fake) for d, d loss / d fake for the generator's losses (batch mean)."""
    n = r.numel()
    if kind == "d":
        return [-torch.sigmoid(-r) / n, torch.sigmoid(f) / n]
    return [-torch.sigmoid(-f) / n if kind == "ns" else -torch.sigmoid(f) / n]


def known(kind: str, r: torch.Tensor, f: torch.Tensor) -> dict:
    """What each known wrong formula gives for one of the three losses (differentiable)."""
    sp, s = F.softplus, torch.sigmoid
    table = {
        "d": {"labels-swapped": sp(r).mean() + sp(-f).mean(),
              "d-loss-averaged": (sp(-r).mean() + sp(f).mean()) / 2,
              "sum-over-batch": sp(-r).sum() + sp(f).sum(),
              "sign-error": -(sp(-r).mean() + sp(f).mean()),
              "double-sigmoid": sp(-s(r)).mean() + sp(s(f)).mean()},
        "ns": {"saturating-loss": -sp(f).mean(), "g-loss-sign": -sp(-f).mean(), "labels-swapped": sp(f).mean(),
               "sum-over-batch": sp(-f).sum(), "double-sigmoid": sp(-s(f)).mean()},
        "sat": {"ignores-non-saturating-flag": sp(-f).mean(), "g-loss-sign": sp(f).mean(),
                "labels-swapped": -sp(-f).mean(), "sum-over-batch": -sp(f).sum(), "double-sigmoid": -sp(s(f)).mean()},
    }[kind]
    table["sigmoid-then-log"] = unstable_logs(kind, r, f)
    table["sigmoid-then-bce"] = sigmoid_then_bce(kind, r, f)
    return table


def unstable_logs(kind: str, r: torch.Tensor, f: torch.Tensor) -> tuple:
    """The loss written with log(sigmoid(x)) and log(1 - sigmoid(x)): as is, as BCE written by hand,
    and with each small epsilon added inside the log or as a clamp."""
    def variants(p, label):  # -log p for label 1, -log(1 - p) for label 0
        q = p if label else 1 - p
        plain = [-torch.log(q), -(label * torch.log(p) + (1 - label) * torch.log(1 - p))]
        return plain + [-torch.log(q + e) for e in EPSILONS] + [-torch.log(q.clamp(min=e)) for e in EPSILONS]
    if kind == "d":
        pairs = zip(variants(torch.sigmoid(r), 1), variants(torch.sigmoid(f), 0))
        return tuple(a.mean() + b.mean() for a, b in pairs)
    sign = 1 if kind == "ns" else -1
    return tuple(sign * v.mean() for v in variants(torch.sigmoid(f), 1 if kind == "ns" else 0))


def sigmoid_then_bce(kind: str, r: torch.Tensor, f: torch.Tensor) -> torch.Tensor:
    """The loss as sigmoid followed by F.binary_cross_entropy (its log clamped at -100)."""
    bce, p = F.binary_cross_entropy, torch.sigmoid(f)
    if kind == "d":
        return bce(torch.sigmoid(r), torch.ones_like(r)) + bce(p, torch.zeros_like(p))
    return bce(p, torch.ones_like(p)) if kind == "ns" else -bce(p, torch.zeros_like(p))


def describe(shape, dtype) -> str:
    return f"logits of shape {shape} ({str(dtype)[6:]})"


def pair(entry: dict) -> tuple[torch.Tensor, torch.Tensor]:
    """(d_loss, g_loss) as float64 numbers, once the function returns two numbers; else not judged."""
    value = expect.returned(entry)
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        expect.not_judged(f"your function returned {expect.kind_of(value, values=False)}; this is judged once "
                          "it returns the pair (d_loss, g_loss)")
    return tuple(expect.judgeable(v, "one number (a 0-dim tensor)", shape=()) for v in value)


def losses(out: dict) -> dict[str, torch.Tensor]:
    """The three losses of one probe case: d and g from the default call, g with non_saturating=False."""
    (d, ns), (d_again, sat) = pair(out["default"]), pair(out["saturating"])
    return {"d": d, "ns": ns, "sat": sat, "d_again": d_again}


def judge_values(results: list, kinds: tuple[str, ...]) -> None:
    """results: (losses, real, fake, dtype, where). Fail on the first wrong loss, naming the mistake that
    explains every wrong one."""
    wrong = []
    for got, r, f, dtype, where in results:
        for kind in kinds:
            for key in (kind, "d_again") if kind == "d" else (kind,):
                want = RIGHT[kind](r.to(F64), f.to(F64))
                if not expect.close(finite(got[key]), want, **TOL):
                    table = known(kind, r.to(dtype), f.to(dtype))
                    candidates = {k: tuple(finite(x) for x in v) if isinstance(v, tuple) else finite(v)
                                  for k, v in table.items()}
                    wrong.append((finite(got[key]), want, candidates, f"{WHAT[kind]} for {where}", got[key]))
    if wrong:
        _, want, _, what, raw = wrong[0]
        mistake(expect.explained_by([(g, c) for g, _, c, _, _ in wrong]), f"{what}: {say(raw, want)}")


def say(got: torch.Tensor, want: torch.Tensor) -> str:
    """got and expected as numbers, or their largest errors when they print alike."""
    text = expect.differ(got, want)
    return f"got {float(got):.6g}, expected {float(want):.6g}" if text.startswith("got") else text


def basic_results(basic: dict, seed: int) -> list:
    return [(losses(basic[f"case{i}"]), *logits(shape, dtype, seed + i), dtype, describe(shape, dtype))
            for i, (shape, dtype) in enumerate(cases(seed))]


# --- the public checks ----------------------------------------------------------------------

def refused_logits(entry: dict) -> None:
    """Name logits passed where probabilities belong: F.binary_cross_entropy refuses values outside [0, 1]."""
    error = entry.get("error") or {}
    if "between 0 and 1" in str(error.get("message", "")):
        mistake("logits-as-probabilities", f"your function raised {error.get('type')}: {error.get('message')}: the "
                "logits went into a loss that expects probabilities in [0, 1]")


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_two_losses_of_the_logits_dtype(basic, seed):
    """returns (d_loss, g_loss), two finite 0-dim tensors in the logits' dtype ((B,) and (B, 1) logits, batch 1)"""
    for i, (shape, dtype) in enumerate(cases(seed)):
        entry, what = basic[f"case{i}"]["default"], f"for {describe(shape, dtype)}"
        refused_logits(entry)
        value = expect.returned(entry)
        if value is None:
            mistake("no-return", f"{what} your function returned None: end it with `return d_loss, g_loss`")
        if not (isinstance(value, (tuple, list)) and len(value) == 2):
            mistake(None, f"{what} your function returned {expect.kind_of(value)}; expected the pair (d_loss, g_loss)")
        for name, v in zip(("d_loss", "g_loss"), value):
            loss = expect.tensor(v, f"{name} {what}", shape=(), dtype=str(dtype)[6:])
            if not torch.isfinite(loss):
                mistake(None, f"{name} {what} is {loss.item()}")


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_the_logits_unchanged(basic, seed):
    """leaves real_logits and fake_logits unchanged"""
    for i, (shape, dtype) in enumerate(cases(seed)):
        out = basic[f"case{i}"]["default"]
        pair(out)  # no points for code that returns nothing
        real, fake = logits(shape, dtype, seed + i)
        expect.unchanged(real, out["inputs_after"][0], "real_logits")
        expect.unchanged(fake, out["inputs_after"][1], "fake_logits")


# --- values --------------------------------------------------------------------------------

@pytest.mark.points(2)
def test_discriminator_loss(basic, seed):
    """d_loss = -mean log sigmoid(real) - mean log(1 - sigmoid(fake)), with either generator loss asked"""
    judge_values(basic_results(basic, seed), ("d",))


@pytest.mark.points(1)
def test_non_saturating_generator_loss(basic, seed):
    """by default, g_loss = -mean log sigmoid(fake), the non-saturating loss"""
    judge_values(basic_results(basic, seed), ("ns",))


@pytest.mark.points(1)
def test_saturating_generator_loss(basic, seed):
    """with non_saturating=False, g_loss = mean log(1 - sigmoid(fake)), the saturating loss"""
    judge_values(basic_results(basic, seed), ("sat",))


def saturated_results(saturated: dict, seed: int) -> list:
    return [(losses(saturated[f"case{i}"]), *saturated_logits(shape, dtype, seed + 30 + i), dtype,
             describe(shape, dtype) + " from +-1.5 to +-100")
            for i, (shape, dtype) in enumerate(SATURATED_CASES)]


@pytest.mark.points(1)
def test_values_at_saturated_logits(saturated, seed):
    """the three losses are right (not merely finite) for logits up to +-100, float32 and float64"""
    judge_values(saturated_results(saturated, seed), ("d", "ns", "sat"))


# --- gradients -------------------------------------------------------------------------------

def student_gradients(out: dict, kind: str) -> list[torch.Tensor]:
    """The gradients the probe got by backpropagating one of the student's losses."""
    grads = out["default" if kind != "sat" else "saturating"]["g_grads" if kind != "d" else "d_grads"]
    if isinstance(grads, str):
        mistake(None, f"backpropagating your {WHAT[kind]} failed: {grads}")
    if grads is None or all(g is None for g in grads):
        mistake("detached", f"no gradient reaches the logits from your {WHAT[kind]}: it must stay a tensor computed "
                "from them with torch operations (no .item(), float(), numpy or .detach())")
    return [torch.zeros(()) if g is None else expect.tensor(g, f"the gradient of your {WHAT[kind]}").to(F64)
            for g in grads]


def wrong_gradients(kind: str, r: torch.Tensor, f: torch.Tensor, value: torch.Tensor) -> dict:
    """The gradients of each known wrong formula whose value equals the student's `value`: one tuple
    (a formula's variants) per input."""
    r, f = r.clone().requires_grad_(), f.clone().requires_grad_()
    return expect.mistaken_gradients(known(kind, r, f), [r, f] if kind == "d" else [f], value)


def judge_gradients(runs: list) -> None:
    """runs: (probe output of one case, real, fake, dtype, where). Fail on the first wrong gradient,
    naming the mistake whose formula gives both the student's loss and its gradients in every wrong case."""
    wrong = []
    for out, r, f, dtype, where in runs:
        values = losses(out)
        for kind in ("d", "ns", "sat"):
            got = student_gradients(out, kind)
            want = analytic_gradients(kind, r.to(F64), f.to(F64))
            table = {}  # the wrong formulas' gradients, computed only once a gradient is wrong
            for k, (g, w) in enumerate(zip(got, want)):
                if not expect.close(finite(g.reshape(w.shape)), w, rtol=1e-5, atol=1e-6 / r.numel()):
                    name = ("real_logits", "fake_logits")[k] if kind == "d" else "fake_logits"
                    x = (r if kind == "d" and k == 0 else f).reshape(w.shape)
                    table = table or wrong_gradients(kind, r.to(dtype), f.to(dtype), values[kind])
                    wrong.append((finite(g), w, {key: v[k] for key, v in table.items()},
                                  f"d {WHAT[kind]} / d {name} for {where}", worst(g.reshape(w.shape), w, x)))
    if wrong:
        _, _, _, what, detail = wrong[0]
        mistake(expect.explained_by([(g, c) for g, _, c, _, _ in wrong], rtol=1e-4, atol=1e-9), f"{what}: {detail}")


def worst(got: torch.Tensor, want: torch.Tensor, x: torch.Tensor) -> str:
    """Where a gradient is furthest from the right one, in the student's terms."""
    i = int((finite(got) - want).abs().flatten().argmax())
    return (f"at the logit {float(x.flatten()[i]):g} the gradient is {float(got.flatten()[i]):.6g}, expected "
            f"{float(want.flatten()[i]):.6g} (the batch mean's 1/{x.numel()} included)")


@pytest.mark.points(1)
def test_gradients(moderate, seed):
    """the gradients of the three losses with respect to the logits, at moderate logits"""
    shape, dtype = GRADIENT_CASE
    judge_gradients([(moderate, *logits(shape, dtype, seed + 20), dtype, describe(shape, dtype))])


@pytest.mark.points(1)
def test_gradients_at_saturated_logits(extreme, seed):
    """the gradients are right (not zero) at logits up to +-100, where sigmoid rounds to 0 or 1"""
    runs = [(extreme[f"case{i}"], *saturated_logits(shape, dtype, seed + 50 + i, EXTREME), dtype,
             describe(shape, dtype) + " from +-0.5 to +-100") for i, (shape, dtype) in enumerate(SATURATED_CASES)]
    try:
        judge_values([(losses(out), r, f, dtype, where) for out, r, f, dtype, where in runs], ("d", "ns", "sat"))
    except AssertionError:
        expect.not_judged("your losses' values at logits of +-100 are not right yet (see the check of values at "
                          "saturated logits); their gradients are judged once they are")
    judge_gradients(runs)


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the logits' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the losses")
