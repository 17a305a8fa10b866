"""Hidden checks of exercise c19, inception_score(probs, splits=1).

The score is deterministic. It is compared with an oracle by another route: the KL divergences
from torch.distributions (Categorical, which keeps 0 log 0 = 0), split by explicit slicing, the
standard deviation as the root of the mean squared deviation. The inputs reveal each mistake:
several splits whose rows lean towards different classes (so the marginal over all splits,
strided splits and one score over everything differ from the per-split marginal), different
scores across splits (so ddof 0 and ddof 1 differ), probabilities exactly 0 (0 log 0). When
wrong, results are compared with known wrong formulas on the same inputs; a mistake is named
only when its formula gives the student's result in every wrong case. The public check owns the
type, shape and dtype; values are judged to 1e-5 relative in both dtypes.
"""

from __future__ import annotations

import math

import pytest
import torch
from torch.distributions import Categorical, kl_divergence

from grader.check import expect
from grader.check.expect import mistake

from .probes import F64, Case, cases, make_probs

TOL = {"rtol": 1e-5, "atol": 1e-7}
# how close a known wrong formula must come to a wrong result to explain it: rounding only, since
# two formulas can lie 5e-5 apart (the global marginal and one score over everything, when the
# splits' scores are alike)
MATCH = {F64: 1e-9, torch.float32: 1e-5}
NAN, INF = -123456.75, 654321.25  # what nan and +-inf read as when results are matched with known mistakes


def blocks(probs: torch.Tensor, splits: int) -> list[torch.Tensor]:
    n = probs.shape[0] // splits
    return [probs[j * n:(j + 1) * n] for j in range(splits)]


def mean_std(scores: list[torch.Tensor], ddof: int = 0) -> tuple[torch.Tensor, torch.Tensor]:
    s = torch.stack(scores)
    m = s.mean()
    return m, ((s - m) ** 2).sum().div(len(scores) - ddof).sqrt() if len(scores) > ddof else torch.tensor(math.nan)


def oracle(case: Case) -> tuple[torch.Tensor, torch.Tensor]:
    probs = make_probs(case).to(F64)
    scores = []
    for part in blocks(probs, case.splits or 1):
        p_y = Categorical(probs=part.mean(0))
        scores.append(kl_divergence(Categorical(probs=part), p_y).mean().exp())
    return mean_std(scores)


def kl_rows(part: torch.Tensor, p_y: torch.Tensor, reduce=torch.sum) -> torch.Tensor:
    """KL(part_i || p_y) per row, written plainly: nan where a probability is 0."""
    return reduce(part * (torch.log(part) - torch.log(p_y)), dim=1)


def known(case: Case) -> dict[str, tuple]:
    """(mean, std) of each known wrong formula, on the case's inputs."""
    probs = make_probs(case).to(F64)
    splits = case.splits or 1
    parts = blocks(probs, splits)
    kl = [torch.special.xlogy(p, p).sum(1) - torch.special.xlogy(p, p.mean(0)).sum(1) for p in parts]
    everything = probs.mean(0)
    strided = [probs[j::splits] for j in range(splits)]
    table = {
        "reversed-kl": [kl_rows(p.mean(0).expand_as(p), p).mean().exp() for p in parts],
        "log-is": [k.mean() for k in kl],
        "marginal-over-all-splits": [(torch.special.xlogy(p, p) - torch.special.xlogy(p, everything)).sum(1).mean().exp()
                                     for p in parts],
        "exp-inside-mean": [k.exp().mean() for k in kl],
        "strided-splits": [(torch.special.xlogy(p, p) - torch.special.xlogy(p, p.mean(0))).sum(1).mean().exp()
                           for p in strided],
        "kl-mean-over-classes": [(k / probs.shape[1]).mean().exp() for k in kl],
        "log-base-2": [(k / math.log(2)).mean().exp() for k in kl],
        "zero-log-zero": [kl_rows(p, p.mean(0)).mean().exp() for p in parts],
    }
    out = {key: mean_std(scores) for key, scores in table.items()}
    whole = (torch.special.xlogy(probs, probs) - torch.special.xlogy(probs, everything)).sum(1).mean().exp()
    out["splits-ignored"] = (whole, torch.zeros((), dtype=F64))
    out["std-unbiased"] = mean_std([k.mean().exp() for k in kl], ddof=1)
    return out


def finite(x: torch.Tensor) -> torch.Tensor:
    return torch.nan_to_num(x.detach().to(F64), nan=NAN, posinf=INF, neginf=-INF)


def result(entry: dict) -> tuple[torch.Tensor, torch.Tensor]:
    """(mean, std) as float64 numbers once the function returns two numbers; else not judged."""
    value = expect.returned(entry)
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        expect.not_judged(f"your function returned {expect.kind_of(value, values=False)}; this is judged once it "
                          "returns the pair (mean, std)")
    return tuple(expect.judgeable(v, "one number (a 0-dim tensor)", shape=()) for v in value)


def judge(basic: dict, seed: int, which: int, chosen) -> None:
    """Judge the mean (which=0) or the std (which=1) on the chosen cases; name the mistake that explains
    every wrong one."""
    wrong = []
    for i, case in enumerate(cases(seed)):
        if not chosen(case):
            continue
        raw, want = result(basic[f"case{i}"])[which], oracle(case)[which]
        got = finite(raw)
        if not expect.close(got, want, **TOL):
            candidates = {k: finite(v[which]) for k, v in known(case).items()}
            what = ("the mean score", "the std of the scores")[which]
            wrong.append((got, candidates, MATCH[case.dtype] * float(want.abs()),
                          f"{what} for {case.describe()}: got {float(raw):.6g}, expected {float(want):.6g}"))
    if wrong:
        mistake(expect.explained_by([(g, c) for g, c, _, _ in wrong], rtol=0, atol=[a for _, _, a, _ in wrong]),
                wrong[0][3])


# --- the public checks ----------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_mean_and_std(basic, seed):
    """returns (mean, std), two 0-dim tensors in probs' dtype, finite for probabilities without zeros"""
    for i, case in enumerate(cases(seed)):
        value, what = expect.returned(basic[f"case{i}"]), f"for {case.describe()}"
        if value is None:
            mistake("no-return", f"{what} your function returned None: end it with `return mean, std`")
        if not (isinstance(value, (tuple, list)) and len(value) == 2):
            mistake(None, f"{what} your function returned {expect.kind_of(value)}; expected the pair (mean, std)")
        for name, v in zip(("mean", "std"), value):
            number = expect.tensor(v, f"the {name} {what}", shape=(), dtype=str(case.dtype)[6:])
            if not case.zeros and not torch.isfinite(number):
                mistake(None, f"the {name} {what} is {number.item()}")


@pytest.mark.points(1)
def test_leaves_probs_unchanged(basic, seed):
    """leaves probs unchanged"""
    for i, case in enumerate(cases(seed)):
        result(basic[f"case{i}"])  # no points for code that returns nothing
        expect.unchanged(make_probs(case), basic[f"case{i}"]["probs_after"], "probs")


# --- values ----------------------------------------------------------------------------------

@pytest.mark.points(2)
def test_one_split(basic, seed):
    """one split (the default): exp(mean_i KL(p(y|x_i) || p(y))), and a std of 0"""
    judge(basic, seed, 0, lambda case: case.splits is None)
    judge(basic, seed, 1, lambda case: case.splits is None)


@pytest.mark.points(3)
def test_mean_over_splits(basic, seed):
    """several splits of consecutive rows, each with its own marginal p(y): the mean of their scores"""
    judge(basic, seed, 0, lambda case: case.splits is not None and not case.zeros)


def once_the_mean_is_right(basic, seed, chosen, what: str) -> None:
    """Not judged while the mean is wrong on the chosen cases: one mistake costs the check that owns it."""
    try:
        judge(basic, seed, 0, chosen)
    except AssertionError:
        expect.not_judged(f"the mean of your scores is not right yet (see that check); {what} judged once it is")


@pytest.mark.points(1)
def test_probabilities_of_zero(basic, seed):
    """probabilities exactly 0 count as 0 log 0 = 0 (no nan)"""
    once_the_mean_is_right(basic, seed, lambda case: case.splits is not None and not case.zeros,
                           "probabilities of 0 (on 4 splits) are")
    judge(basic, seed, 0, lambda case: case.zeros)


@pytest.mark.points(1)
def test_std_over_splits(basic, seed):
    """the standard deviation of the splits' scores, with ddof = 0"""
    once_the_mean_is_right(basic, seed, lambda case: True, "their spread is")
    judge(basic, seed, 1, lambda case: True)


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the score")
