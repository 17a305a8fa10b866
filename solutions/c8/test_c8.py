"""Hidden checks of exercise c8, negative_elbo(x, x_logits, mu, log_var, beta=1.0).

The loss is deterministic. Its value is compared with an oracle built from other pieces: the
reconstruction as log(1 + e^l) - x l (torch.logaddexp, exact at any logit) and the KL from
torch.distributions.kl_divergence; its gradients with those of the oracle (autograd, float64).
When wrong, results are compared with known wrong formulas run here on the same inputs in the
same dtype; a mistake is named only when its formula gives the student's value in every wrong
case (for gradients: its value and its gradients). Values and gradients are checked at moderate
logits and at logits up to +-100: sigmoid then log gives inf there, and sigmoid then
F.binary_cross_entropy gives the right value at exactly +-100 (torch clamps the log at -100) but
zero gradients, which only the gradient check at saturated logits sees. The public check owns the
result's type, shape and dtype; formulas are judged to 1e-5 relative in both dtypes.
"""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

from grader.check import expect
from grader.check.expect import finite, mistake

from .probes import EXTREME, F64, Case, cases, inputs, saturated_cases

TOL = {"rtol": 1e-5, "atol": 1e-6}
EPSILONS = (1e-12, 1e-10, 1e-8, 1e-7, 1e-6, 1e-5)  # added inside the log by tutorials
NAMES = ("x_logits", "mu", "log_var")


def per_sample(t: torch.Tensor) -> torch.Tensor:
    return t.flatten(1).sum(1)


def oracle(x, logits, mu, log_var, beta):
    """The negative ELBO by another route: log(1 + e^l) - x l, and KL from torch.distributions."""
    reconstruction = per_sample(torch.logaddexp(torch.zeros_like(logits), logits) - x * logits)
    kl = per_sample(kl_divergence(Normal(mu, torch.exp(0.5 * log_var)), Normal(torch.zeros_like(mu), torch.ones_like(mu))))
    return (reconstruction + beta * kl).mean()


def known(x, l, mu, lv, beta) -> dict:
    """What each known wrong formula gives on these inputs (differentiable)."""
    bce = F.binary_cross_entropy_with_logits(l, x, reduction="none")
    kl_terms = 0.5 * (mu**2 + lv.exp() - 1 - lv)
    rec, kl = per_sample(bce), per_sample(kl_terms)
    p = torch.sigmoid(l)
    unstable = [-(x * torch.log(p) + (1 - x) * torch.log(1 - p))]
    unstable += [-(x * torch.log(p + e) + (1 - x) * torch.log(1 - p + e)) for e in EPSILONS]
    unstable += [-(x * torch.log(p.clamp(min=e)) + (1 - x) * torch.log((1 - p).clamp(min=e))) for e in EPSILONS]
    return {
        "bce-mean-over-pixels": (bce.mean() + beta * kl.mean(), bce.mean() + beta * kl_terms.mean()),
        "sum-over-batch": (rec + beta * kl).sum(),
        "beta-on-reconstruction": (beta * rec + kl).mean(),
        "beta-ignored": (rec + kl).mean(),
        "kl-sign": (rec - beta * kl).mean(),
        "kl-missing-half": (rec + 2 * beta * kl).mean(),
        "returned-elbo": -(rec + beta * kl).mean(),
        "logvar-as-logstd": (rec + beta * per_sample(0.5 * (mu**2 + (2 * lv).exp() - 1 - 2 * lv))).mean(),
        "sigmoid-then-log": tuple((per_sample(u) + beta * kl).mean() for u in unstable),
        "sigmoid-then-bce": (per_sample(F.binary_cross_entropy(p, x, reduction="none")) + beta * kl).mean(),
    }


def beta_of(case: Case) -> float:
    return 1.0 if case.beta is None else case.beta


def loss_of(entry: dict) -> torch.Tensor:
    return expect.judgeable(expect.returned(entry), "one number (a 0-dim tensor)", shape=())


def say(got: torch.Tensor, want: torch.Tensor) -> str:
    text = expect.differ(got, want)
    return f"got {float(got):.6g}, expected {float(want):.6g}" if text.startswith("got") else text


def judge_values(out: dict, all_cases: list[Case]) -> None:
    """Fail on the first wrong loss, naming the mistake that explains every wrong one."""
    wrong = []
    for i, case in enumerate(all_cases):
        got = loss_of(out[f"case{i}"])
        x, l, mu, lv = inputs(case)
        want = oracle(*(t.to(F64) for t in (x, l, mu, lv)), beta_of(case))
        if not expect.close(finite(got), want, **TOL):
            candidates = {k: tuple(finite(v) for v in vs) if isinstance(vs, tuple) else finite(vs)
                          for k, vs in known(x, l, mu, lv, beta_of(case)).items()}
            wrong.append((finite(got), candidates, f"the loss for {case.describe()}: {say(got, want)}"))
    if wrong:
        mistake(expect.explained_by([(g, c) for g, c, _ in wrong]), wrong[0][2])


# --- the public checks ----------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_scalar_of_x_dtype(basic, seed):
    """returns a finite 0-dim tensor in x's dtype ((B, D) and image-shaped x, batch 1, float32 and float64)"""
    for i, case in enumerate(cases(seed)):
        expect.finite_number(expect.returned(basic[f"case{i}"]), f"the loss for {case.describe()}", str(case.dtype)[6:])


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_inputs_unchanged(basic, seed):
    """leaves x, x_logits, mu and log_var unchanged"""
    for i, case in enumerate(cases(seed)):
        out = basic[f"case{i}"]
        loss_of(out)  # no points for code that returns nothing
        for name, before, after in zip(("x",) + NAMES, inputs(case), out["inputs_after"]):
            expect.unchanged(before, after, name)


# --- values ----------------------------------------------------------------------------------

@pytest.mark.points(3)
def test_value(basic, seed):
    """the loss: BCE summed over each sample's pixels plus beta * KL summed over its latents, mean over the batch"""
    judge_values(basic, cases(seed))


@pytest.mark.points(1)
def test_value_at_saturated_logits(saturated, seed):
    """the loss is right (not merely finite) for logits up to +-100, float32 and float64"""
    judge_values(saturated, saturated_cases(seed + 30))


# --- gradients -------------------------------------------------------------------------------

def student_gradients(entry: dict) -> list[torch.Tensor]:
    loss_of(entry)
    grads = entry.get("grads")
    if isinstance(grads, str):
        mistake(None, f"backpropagating your loss failed: {grads}")
    if grads is None or all(g is None for g in grads):
        mistake("detached", "no gradient reaches x_logits, mu or log_var: the loss must stay a tensor computed "
                "from them with torch operations (no .item(), float(), numpy or .detach())")
    return [torch.zeros(()) if g is None else expect.tensor(g, f"the gradient of your loss").to(F64) for g in grads]


def wrong_gradients(case: Case, value: torch.Tensor) -> dict:
    """The gradients of each known wrong formula whose value equals the student's: one tuple per input."""
    x, *rest = inputs(case)
    leaves = [t.clone().requires_grad_() for t in rest]
    return expect.mistaken_gradients(known(x, *leaves, beta_of(case)), leaves, value)


def judge_gradients(out: dict, all_cases: list[Case]) -> None:
    """Fail on the first wrong gradient, naming the mistake whose formula gives the student's value and
    gradients in every wrong case."""
    wrong = []
    for i, case in enumerate(all_cases):
        got = student_gradients(out[f"case{i}"])
        x, *rest = (t.to(F64) for t in inputs(case))
        leaves = [t.clone().requires_grad_() for t in rest]
        want = torch.autograd.grad(oracle(x, *leaves, beta_of(case)), leaves)
        table = {}  # the wrong formulas' gradients, computed only once a gradient is wrong
        for k, (g, w) in enumerate(zip(got, want)):
            scale = float(w.abs().max()) + 1 / case.shape[0]
            if not expect.close(finite(g.reshape(w.shape)), w, rtol=1e-5, atol=1e-6 * scale):
                j = int((finite(g.reshape(w.shape)) - w).abs().flatten().argmax())
                at = f" at the logit {float(rest[0].flatten()[j]):g}" if k == 0 else ""
                table = table or wrong_gradients(case, loss_of(out[f"case{i}"]))
                wrong.append((finite(g), {key: v[k] for key, v in table.items()},
                              f"d loss / d {NAMES[k]} for {case.describe()}{at}: got {float(g.flatten()[j]):.6g}, "
                              f"expected {float(w.flatten()[j]):.6g}"))
    if wrong:
        mistake(expect.explained_by([(g, c) for g, c, _ in wrong], rtol=1e-4, atol=1e-9), wrong[0][2])


@pytest.mark.points(2)
def test_gradients(basic, seed):
    """the gradients with respect to x_logits, mu and log_var"""
    judge_gradients(basic, cases(seed))


@pytest.mark.points(1)
def test_gradients_at_saturated_logits(extreme, seed):
    """the gradients with respect to the logits are right (not zero) at logits of +-100"""
    extreme_cases = saturated_cases(seed + 50, EXTREME)
    try:
        judge_values(extreme, extreme_cases)
    except AssertionError:
        expect.not_judged("your loss at logits of +-100 is not right yet (see the check of values at saturated "
                          "logits); its gradients are judged once it is")
    judge_gradients(extreme, extreme_cases)


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the loss")
