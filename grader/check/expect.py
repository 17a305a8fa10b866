"""What a suite's pytest module builds on: read what the student's code returned, compare
it, and say what went wrong in the student's terms (what was observed, what was expected).

A check fails with a plain `assert cond, "message"`, or with `mistake(id, message)` when the
evidence singles out a known mistake (an id of the exercise's misconceptions.toml). A check
that cannot judge because another check's fact is wrong (say, the result has the wrong
shape) calls `not_judged(...)`: it scores 0 and reads "not judged", so the fact is reported
once, by the check that owns it.
"""

from __future__ import annotations

import math
from typing import Any, NoReturn

import torch

from grader.check.wire import ObjectValue, TensorValue


class Mistake(AssertionError):
    """A failed check whose evidence names a known mistake."""

    def __init__(self, id: str | None, message: str):
        super().__init__(message)
        self.id, self.message = id, message


class NotJudged(Exception):
    """This check cannot judge the result; another check reports why."""


class StudentRaised(Exception):
    """The student's code raised while producing what this check reads (outcome: error).
    `error` is the exception as the sandbox describes it (type, message, the student's lines)."""

    def __init__(self, error: dict[str, Any]):
        super().__init__(str(error.get("message", "")))
        self.error = error


def mistake(id: str | None, message: str) -> NoReturn:
    """Fail the check, naming the known mistake `id` (None: a failure no mistake explains)."""
    raise Mistake(id, message)


def not_judged(message: str) -> NoReturn:
    raise NotJudged(message)


def returned(entry: dict[str, Any]) -> Any:
    """What a `capture`d call returned; if it raised, this check's outcome is 'error', and the
    report shows the exception once, with the student's line, for every check it blocked."""
    if "error" in entry:
        raise StudentRaised(entry["error"])
    return entry.get("result")


def kind_of(value: Any, values: bool = True) -> str:
    """What a returned value is, in a few words: 'None', 'a float64 tensor of shape (5,)', ...
    With values=False a number is named by its type alone ('a Python float'), so messages
    about it read the same for every input."""
    if value is None:
        return "None"
    if isinstance(value, TensorValue):
        kind = "numpy array" if value.device == "numpy" else "tensor"
        return f"a {value.dtype} {kind} of shape {tuple(value.shape)}"
    if isinstance(value, ObjectValue):
        return f"a {value.type} ({value.repr[:60]})" if values else f"a {value.type}"
    if isinstance(value, (tuple, list)):
        return f"a {type(value).__name__} of {len(value)} items"
    return f"{type(value).__name__} {value!r}"[:80] if values else f"a Python {type(value).__name__}"


def judgeable(value: Any, wanted: str, *, shape: tuple | None = None, numel: int | None = None) -> torch.Tensor:
    """The values (float64) of a returned tensor once it is `wanted` (of `shape`, or of `numel`
    values); else this check is not judged, and the check that owns the result's type and shape
    says what is wrong. A result with one unambiguous reading as `shape` (see `reading`) is
    judged on that reading: only the check that owns the shape loses its points."""
    data = reading(value, shape) if shape is not None else (
        value.data if isinstance(value, TensorValue) and value.data is not None else None)
    if data is None or (numel is not None and data.numel() != numel):
        not_judged(f"your function returned {kind_of(value, values=False)}; this is judged once it returns {wanted}")
    return data.to(torch.float64)


def reading(value: Any, shape: tuple) -> torch.Tensor | None:
    """The values of a result read as `shape`, when there is exactly one way to read them so: a
    tensor (or numpy array) of that shape, or with singleton dims added or dropped; a list or
    tuple whose items stack to it; a number, for shape (). None otherwise."""
    shape = tuple(shape)
    if isinstance(value, (list, tuple)) and value:
        items = [reading(item, shape[1:]) for item in value] if shape else []
        if len(items) == (shape[0] if shape else -1) and all(item is not None for item in items):
            return torch.stack([item.to(torch.float64) for item in items])
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return torch.tensor(float(value), dtype=torch.float64) if math.prod(shape) == 1 else None
    if not (isinstance(value, TensorValue) and value.data is not None) or value.data.dtype == torch.bool:
        return None
    data = value.data
    same = [d for d in data.shape if d != 1] == [d for d in shape if d != 1] and data.numel() == math.prod(shape)
    return data.reshape(shape) if same else None


def tensor(value: Any, what: str, *, shape: tuple | None = None, dtype: str | None = None) -> torch.Tensor:
    """The data of a returned tensor, after checking it is one, of the right shape and dtype."""
    if not isinstance(value, TensorValue):
        raise Mistake(None, f"{what} should be a tensor, but your function returned {kind_of(value)}")
    if shape is not None and tuple(value.shape) != tuple(shape):
        raise Mistake(None, f"{what} has shape {tuple(value.shape)}, expected {tuple(shape)}")
    if dtype is not None and value.dtype != dtype:
        raise Mistake(None, f"{what} has dtype {value.dtype}, expected {dtype} (the inputs' dtype): "
                      "create new tensors with the inputs' dtype (dtype=x.dtype, torch.zeros_like(x), x.new_tensor(...))")
    if value.data is None:
        raise Mistake(None, f"{what} is a {value.device} tensor that carries no values")
    return value.data


def close(got: torch.Tensor, want: torch.Tensor, rtol: float = 1e-5, atol: float = 1e-7) -> bool:
    got, want = got.to(torch.float64), want.to(torch.float64)
    return got.shape == want.shape and bool(torch.allclose(got, want, rtol=rtol, atol=atol, equal_nan=False))


def preview(t: torch.Tensor, n: int = 4) -> str:
    flat = t.detach().to(torch.float64).flatten()
    items = ", ".join(f"{v:.4g}" for v in flat[:n].tolist())
    return f"[{items}{', ...' if flat.numel() > n else ''}]"


def gap(got: torch.Tensor, want: torch.Tensor) -> str:
    """The largest absolute and relative error of got against want (same shape)."""
    diff = (got.detach().to(torch.float64) - want.detach().to(torch.float64)).abs()
    relative = diff / want.detach().to(torch.float64).abs().clamp_min(1e-300)
    return f"largest absolute error {float(diff.max()):.3g}, largest relative error {float(relative.max()):.3g}"


def differ(got: torch.Tensor, want: torch.Tensor) -> str:
    """'got X, expected Y' when the values differ visibly; for values that print alike (a rounding
    or precision slip, not a formula), their largest absolute and relative error instead."""
    if got.shape == want.shape and (preview(got) == preview(want) or torch.allclose(
            got.to(torch.float64), want.to(torch.float64), rtol=1e-3, atol=0)):
        return f"close but not within the tolerance: {gap(got, want)}"
    return f"got {preview(got)}, expected {preview(want)}"


def first_match(got: torch.Tensor, candidates: dict[str, torch.Tensor], rtol: float = 1e-4,
                atol: float = 1e-6) -> str | None:
    """The id of the first known wrong result `got` equals, if any."""
    for key, wrong in candidates.items():
        if close(got, wrong, rtol, atol):
            return key
    return None


def explained_by(cases: list[tuple[torch.Tensor, dict[str, torch.Tensor | tuple[torch.Tensor, ...]]]],
                 rtol: float = 1e-4, atol: float | list[float] = 1e-6) -> str | None:
    """The one known mistake whose result equals the student's in every case given (the wrong
    ones), or None when none does, or when several different mistakes do: a diagnosis is named
    only when the evidence singles it out. A mistake written in more than one way (say, t - 1
    wrapping around or clamped at 0) gives a tuple of results: any one of them explains a case.
    atol may be a list, one per case, when cases differ in scale or precision."""
    consistent: set[str] | None = None
    atols = atol if isinstance(atol, list) else [atol] * len(cases)
    for (got, known), atol in zip(cases, atols, strict=True):
        matching = {key for key, wrong in known.items()
                    if any(close(got, w, rtol, atol) for w in (wrong if isinstance(wrong, (tuple, list)) else (wrong,)))}
        consistent = matching if consistent is None else consistent & matching
    return next(iter(consistent)) if consistent is not None and len(consistent) == 1 else None


NON_FINITE = -123456.75  # what nan and inf read as when results are matched with known mistakes


def finite(x: torch.Tensor) -> torch.Tensor:
    """x in float64 with nan and inf replaced by one stand-in, so results that overflow alike match."""
    return torch.nan_to_num(x.detach().to(torch.float64), nan=NON_FINITE, posinf=NON_FINITE, neginf=NON_FINITE)


def mistaken_gradients(formulas: dict[str, Any], leaves: list[torch.Tensor], value: torch.Tensor) -> dict:
    """The gradients of each known wrong formula whose value equals the student's `value`, ready for
    `explained_by`: {mistake: [one tuple per leaf, of the gradients of the formula's matching variants]}.

    formulas maps a mistake to its value (or a tuple of variant values) computed from `leaves`
    (tensors that require grad); a leaf a formula does not use gets zeros. Matching the value first
    keeps a mistake from being named for gradients that another formula's value gives away."""
    out = {}
    for key, formula in formulas.items():
        variants = [v for v in (formula if isinstance(formula, tuple) else (formula,))
                    if close(finite(v), finite(value), rtol=1e-4, atol=1e-9)]
        grads = [torch.autograd.grad(v, leaves, retain_graph=True, allow_unused=True) for v in variants]
        if grads:
            out[key] = [tuple(finite(g[k] if g[k] is not None else torch.zeros_like(leaves[k])) for g in grads)
                        for k in range(len(leaves))]
    return out


def expect_close(got: torch.Tensor, want: torch.Tensor, what: str, *, rtol: float = 1e-5,
                 atol: float = 1e-7, mistakes: dict[str, torch.Tensor] | None = None) -> None:
    """Fail unless got == want; name the mistake when got equals a known wrong result."""
    if close(got, want, rtol, atol):
        return
    raise Mistake(first_match(got, mistakes or {}), f"{what}: {differ(got, want)}")


def unchanged(before: torch.Tensor, after: Any, name: str) -> None:
    if not (isinstance(after, TensorValue) and after.data is not None and torch.equal(before, after.data.to(before.dtype))):
        raise Mistake("modifies-input", f"your function changed its input `{name}` in place: compute new "
                      "tensors (x = x + y, not x += y or x.add_(y)) so the caller's data stays as it was")


def device_verdict(observed: dict[str, Any], what: str, *, returns_tensors: bool = True) -> None:
    """Judge a probe run with inputs on another device (grader.sandbox.device_spy).

    Fails code that mixes the inputs with CPU tensors or returns a CPU tensor. A result that is
    not a tensor at all is another check's business (not judged here), unless the function is
    not meant to return tensors (`returns_tensors=False`: a Python float, a list of them): that one
    passes once nothing was mixed."""
    if observed.get("internal"):
        not_judged("the device check itself failed on your code; this is a bug in gengrade, please report it "
                   f"({observed['internal'][0]})")
    error = observed.get("error") or {}
    mixed = observed.get("violations") or []
    if mixed or "same device" in str(error.get("message", "")):
        where = f" ({mixed[0]})" if mixed else ""
        raise Mistake("hard-coded-device", f"{what} combines the inputs with a tensor created on the CPU{where}: "
                      "pass device=x.device (or use torch.randn_like / x.new_zeros / .to(x)) when you create tensors")
    result = returned(observed)
    if not returns_tensors:
        return
    devices = {v.device_type for v in (result if isinstance(result, (tuple, list)) else [result])
               if isinstance(v, TensorValue)}
    if not devices:
        not_judged(f"your function returned {kind_of(result, values=False)}, not a tensor")
    if devices - {"meta"}:
        raise Mistake("hard-coded-device", f"the inputs live on another device but {what} is on "
                      f"{sorted(devices - {'meta'})}: create tensors on the inputs' device")


def finite_number(value: Any, what: str, dtype: str) -> torch.Tensor:
    """A result that must be one finite number, a 0-dim tensor of `dtype`; None is named as such."""
    if value is None:
        raise Mistake("no-return", f"{what}: your function returned None; end it with `return` and the result")
    number = tensor(value, what, shape=(), dtype=dtype)
    if not torch.isfinite(number):
        raise Mistake(None, f"{what} is {number.item()}")
    return number
