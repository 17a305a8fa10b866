"""Hidden checks of exercise c11, make_beta_schedule(kind, T, dtype=torch.float64).

The schedules are deterministic. The linear betas are compared with exact fractions
(1e-4 + (0.02 - 1e-4) i / (T - 1)), the cosine betas with f(u) evaluated by Python's math
module, one u at a time: both independent of torch. Lengths T are drawn from the run's seed
(T = 2 and T = 1000 among them). Formulas are judged to a tolerance that float32 arithmetic
meets with a tenfold margin (for the cosine, an error model: near u = T, f(u) loses relative
precision ~1e-7 / (pi/2 - its angle)), and that every known wrong formula misses; precision
is one fact, judged once, by its own check (float64 results within 1e-9). When values are
wrong, a mistake is named only when its formula gives the student's values in every wrong
case. The cosine's clipping at 0.999 is one fact, judged only on the entries it clips. The
public checks own the result's type, length and dtype, and the ValueError for other kinds.
"""

import math
from fractions import Fraction

import pytest
import torch

from grader.check import expect
from grader.check.expect import mistake
from grader.check.wire import TensorValue

from .probes import F32, F64, KINDS, UNKNOWN_KINDS, cases

S = 0.008  # the cosine schedule's offset
MAX_BETA = 0.999
PRECISION = {"rtol": 1e-9, "atol": 1e-15}
CLIP = {"rtol": 1e-6, "atol": 1e-7}  # 0.999 in float32 is 0.999 to 1.3e-8; 0.9999 and 1 are not


def linear_oracle(T: int) -> torch.Tensor:
    step = (Fraction(2, 100) - Fraction(1, 10000)) / (T - 1)
    return torch.tensor([float(Fraction(1, 10000) + i * step) for i in range(T)], dtype=F64)


def cosine_alpha_bar(T: int, s: float = S, power: int = 2) -> list[float]:
    f = [math.cos((u / T + s) / (1 + s) * math.pi / 2) ** power for u in range(T + 1)]
    return [value / f[0] for value in f]


def cosine_unclipped(T: int, s: float = S, power: int = 2) -> torch.Tensor:
    ab = cosine_alpha_bar(T, s, power)
    return torch.tensor([1 - ab[u] / ab[u - 1] for u in range(1, T + 1)], dtype=F64)


def oracle(kind: str, T: int) -> torch.Tensor:
    return linear_oracle(T) if kind == "linear" else cosine_unclipped(T).clamp(max=MAX_BETA)


def tolerance(kind: str, T: int) -> torch.Tensor:
    """Per entry, the error a float32 computation may make, times ten: for the cosine, f(u)'s
    relative error ~2.4e-7 / (pi/2 - angle_u) reaches beta_u as (1 - beta_u) times twice it."""
    want = oracle(kind, T)
    if kind == "linear":
        return 1e-8 + 1e-5 * want
    angle = torch.tensor([(u / T + S) / (1 + S) * math.pi / 2 for u in range(1, T + 1)], dtype=F64)
    return 2e-6 + 8 * (1 - want) * 4.8e-7 / (math.pi / 2 - angle).clamp_min(1e-12)


def clipped(T: int) -> torch.Tensor:
    """The entries the cosine schedule's clipping changes (the last one, at least)."""
    return cosine_unclipped(T) >= MAX_BETA


def known_linear(T: int) -> dict[str, tuple[torch.Tensor, ...]]:
    def spaced(start, end, n):
        return torch.linspace(start, end, n, dtype=F64)
    step = (0.02 - 1e-4) / T
    return {
        "linear-rescaled": (spaced(1e-4 * 1000 / T, 0.02 * 1000 / T, T),),
        "endpoint-excluded": (spaced(1e-4, 0.02, T + 1)[:-1], spaced(1e-4, 0.02, T + 1)[1:],
                              1e-4 + step * torch.arange(T, dtype=F64)),
    }


def known_cosine(T: int) -> dict[str, tuple[torch.Tensor, ...]]:
    ab = torch.tensor(cosine_alpha_bar(T), dtype=F64)
    unclipped = cosine_unclipped(T)
    return {
        "cosine-no-offset": (cosine_unclipped(T, s=0.0).clamp(max=MAX_BETA),),
        "cosine-not-squared": (cosine_unclipped(T, power=1).clamp(max=MAX_BETA),),
        "cosine-alpha-bar-as-beta": ((1 - ab[1:]).clamp(max=MAX_BETA), 1 - ab[1:]),
        "cosine-clip-range": (unclipped.clamp(1e-4, 0.9999), unclipped.clamp(0, 0.9999)),
    }


def describe(kind: str, T: int, dtype) -> str:
    given = "the default dtype" if dtype is None else str(dtype)[6:]
    return f"make_beta_schedule({kind!r}, {T}) with {given}"


def schedule(out: dict, kind: str, i: int, T: int) -> torch.Tensor:
    """A case's betas (float64) once they are T numbers; else not judged (the public check says why)."""
    return expect.judgeable(expect.returned(out[f"{kind}{i}"]), f"a 1-D tensor of length {T}", shape=(T,))


def follows_formula(got: torch.Tensor, kind: str, T: int) -> bool:
    return expect.close(got / tolerance(kind, T), oracle(kind, T) / tolerance(kind, T), rtol=0, atol=1)


def judge_formula(out: dict, kind: str, seed: int, known, mask=None) -> None:
    """Fail, naming the mistake the evidence singles out, unless every case meets the formula
    (on the entries `mask(T)` selects). Values are compared in units of the tolerance."""
    wrong = []
    for i, (T, dtype) in enumerate(cases(seed)):
        got, want, unit = schedule(out, kind, i, T), oracle(kind, T), tolerance(kind, T)
        keep = mask(T) if mask else torch.ones(T, dtype=torch.bool)
        if not expect.close(got[keep] / unit[keep], want[keep] / unit[keep], rtol=0, atol=1):
            candidates = {key: tuple(v[keep] / unit[keep] for v in values) for key, values in known(T).items()}
            wrong.append((got[keep], want[keep], (got[keep] / unit[keep], candidates), describe(kind, T, dtype)))
    if wrong:
        got, want, _, what = wrong[0]
        mistake(expect.explained_by([scaled for _, _, scaled, _ in wrong], rtol=0, atol=1),
                f"the betas of {what}: {expect.differ(got, want)}")


# --- the public checks ------------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_t_betas_in_the_dtype(schedules, seed):
    """returns a 1-D tensor of length T in the dtype asked for (float64 by default), both kinds"""
    dtypes = {}
    for kind in KINDS:
        for i, (T, dtype) in enumerate(cases(seed)):
            value, what = expect.returned(schedules[f"{kind}{i}"]), describe(kind, T, dtype)
            if value is None:
                mistake("no-return", f"{what} returned None: end the function with `return betas`")
            want = "float64" if dtype is None else str(dtype)[6:]
            if isinstance(value, TensorValue) and tuple(value.shape) == (T,) and value.dtype != want:
                dtypes[(kind, T, dtype)] = value.dtype
            else:
                expect.tensor(value, f"the result of {what}", shape=(T,))
    if dtypes:
        (kind, T, dtype), got = next(iter(dtypes.items()))
        same = len({v for v in dtypes.values()}) == 1 and len(dtypes) >= 2 * len(cases(seed)) // 3
        mistake("ignores-dtype" if same else None, f"{describe(kind, T, dtype)} returned {got} betas, expected "
                f"{'float64 (the default)' if dtype is None else str(dtype)[6:]}: build the result in the dtype "
                "asked for (dtype=dtype, or .to(dtype) at the end)")


@pytest.mark.public
@pytest.mark.points(1)
def test_other_kinds_raise_value_error(unknown_kinds):
    """another kind raises ValueError, naming the kinds there are"""
    for kind in UNKNOWN_KINDS:
        entry, what = unknown_kinds[kind], f"make_beta_schedule({kind!r}, 10)"
        error = entry.get("error")
        if error is None:
            mistake("unknown-kind-accepted", f"{what} returned {expect.kind_of(entry.get('result'), values=False)} "
                    "instead of raising ValueError: a kind other than 'linear' or 'cosine' must be refused")
        if error["type"] != "ValueError":
            mistake(None, f"{what} raised {error['type']}: {error['message'][:120]}; expected a ValueError that "
                    "names the kinds ('linear', 'cosine')")
        if not all(name in error["message"] for name in KINDS):
            mistake(None, f"{what} raised ValueError({error['message'][:120]!r}): say which kinds there are, "
                    "'linear' and 'cosine', so the caller can fix the call")


# --- the values ---------------------------------------------------------------------------------

@pytest.mark.points(3)
def test_linear_betas(schedules, seed):
    """linear: T betas evenly spaced from 1e-4 to 0.02, both ends included, for every T"""
    judge_formula(schedules, "linear", seed, known_linear)


@pytest.mark.points(3)
def test_cosine_betas(schedules, seed):
    """cosine: 1 - alpha_bar(u) / alpha_bar(u - 1), f(u) = cos^2((u/T + s) / (1 + s) pi/2), s = 0.008"""
    judge_formula(schedules, "cosine", seed, known_cosine, mask=lambda T: ~clipped(T))


@pytest.mark.points(1)
def test_cosine_betas_clipped_at_0_999(schedules, seed):
    """cosine: betas clipped at 0.999 (the last step's 1 - alpha_bar(T) / alpha_bar(T-1) is 1)"""
    for i, (T, dtype) in enumerate(cases(seed)):
        keep = clipped(T)
        got = schedule(schedules, "cosine", i, T)[keep]
        if expect.close(got, torch.full_like(got, MAX_BETA), **CLIP):
            continue
        unclipped = cosine_unclipped(T)[keep]
        name = ("cosine-clip-range" if expect.close(got, torch.full_like(got, 0.9999), **CLIP) else
                "cosine-no-clip" if expect.close(got, unclipped, **CLIP) else None)
        mistake(name, f"the last beta of {describe('cosine', T, dtype)} is {float(got[-1]):.6g}; 1 - alpha_bar(T) / "
                f"alpha_bar(T - 1) = {float(unclipped[-1]):.6g} must be clipped to {MAX_BETA} (a beta of 1 wipes out "
                "the signal and makes the reverse step divide by zero)")


@pytest.mark.points(1)
def test_float64_precision(schedules, seed):
    """float64 schedules are computed in float64 (within 1e-9 of the exact values)"""
    for kind in KINDS:
        for i, (T, dtype) in enumerate(cases(seed)):
            if dtype == F32:
                continue
            value = expect.returned(schedules[f"{kind}{i}"])
            if isinstance(value, TensorValue) and value.dtype != "float64":
                expect.not_judged(f"{describe(kind, T, dtype)} returned {value.dtype} betas (see the dtype check); their "
                                  "precision is judged once they are float64")
            got, want = schedule(schedules, kind, i, T), oracle(kind, T)
            if not follows_formula(got, kind, T):
                expect.not_judged(f"the {kind} betas do not follow the formula yet (see its check); their precision "
                                  "is judged once they do")
            if expect.close(got, want, **PRECISION):
                continue
            single = bool((got.to(F32).to(F64) == got).all())
            mistake("float32-schedule" if single else None,
                    f"the betas of {describe(kind, T, dtype)} are {expect.differ(got, want)}"
                    + (": every value is a float32 number, so the schedule was computed in float32 and converted"
                       if single else ""))
