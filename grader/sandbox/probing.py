"""What a suite's `probes.py` builds on: these run in the student's process.

A probe is a function `probe(fn, seed)` marked with `@probe`: it builds inputs from the
run's seed, calls the student's function `fn` and returns raw observations (tensors,
numbers, strings, nested in dicts, lists and tuples). It never compares anything with an
expected value: that happens in the grader's process, in the suite's pytest module.
"""

from __future__ import annotations

import random
import sys
from types import ModuleType
from typing import Any, Callable

import torch

from grader.sandbox.child import describe_error, raised_by_student
from grader.sandbox.device_spy import run_on_device

__all__ = ["probe", "probes_of", "seeded", "draw_shape", "capture", "twice", "under_seeds", "backward_if_possible",
           "run_on_device"]

Probe = Callable[[Callable[..., Any], int], dict[str, Any]]


def probe(fn: Probe) -> Probe:
    """Mark `fn` as a probe; probes run in the order they are defined."""
    fn.__gengrade_probe__ = True  # type: ignore[attr-defined]
    return fn


def probes_of(module: ModuleType) -> dict[str, Probe]:
    """The probes a module defines, by name, in definition order."""
    return {name: value for name, value in vars(module).items() if getattr(value, "__gengrade_probe__", False)}


def seeded(seed: int) -> torch.Generator:
    """A private generator: inputs are rebuilt identically in the grader's process,
    whatever the student's code does to the global random state."""
    return torch.Generator().manual_seed(seed)


def draw_shape(seed: int, *ranges: tuple[int, int]) -> tuple[int, ...]:
    """A shape drawn from the run's seed, one dim per (low, high) range, both ends included: the
    grader draws the same, and a file keyed on the probes' shapes cannot pass."""
    g = seeded(seed)
    return tuple(int(torch.randint(low, high + 1, (1,), generator=g)) for low, high in ranges)


def seed_everything(seed: int) -> None:
    """Seed torch's global random state, and Python's and numpy's (when the code imported numpy),
    as `torch.manual_seed` users expect: noise drawn through any of them then reproduces."""
    torch.manual_seed(seed)
    random.seed(seed)
    numpy = sys.modules.get("numpy")
    if numpy is not None:
        numpy.random.seed(seed % 2**32)


def under_seeds(thunk: Callable[[], Any], seed: int) -> dict[str, dict[str, Any]]:
    """`thunk()` captured after seed_everything(seed), again after the same seed, and after another:
    noise that follows the global seed repeats in "again" and changes in "other"."""
    out = {}
    for name, value in (("first", seed), ("again", seed), ("other", seed + 1)):
        seed_everything(value)
        out[name] = capture(thunk)
    return out


def mu_log_var(shape, dtype: torch.dtype, seed: int, scale: float) -> tuple[torch.Tensor, torch.Tensor]:
    """A Gaussian's (mu, log_var) as a VAE encoder gives them: mu ~ scale * N(0, 1) and log_var
    uniform on [-scale, scale], drawn in float64 from the seed, then cast to `dtype`."""
    g = seeded(seed)
    mu = scale * torch.randn(shape, generator=g, dtype=torch.float64)
    log_var = 2 * scale * torch.rand(shape, generator=g, dtype=torch.float64) - scale
    return mu.to(dtype), log_var.to(dtype)


_returned = False  # set once a captured call has returned: the function is no longer the bare stub


def new_submission() -> None:
    """Forget earlier returns: called before a submission's probes run (a warm lane's server ran
    every probe on a stand-in before forking this child)."""
    global _returned
    _returned = False


def capture(thunk: Callable[[], Any]) -> dict[str, Any]:
    """Run `thunk`, keeping its result, or the error it raised (type, message, the student's own
    lines) for the verdicts. The stub's own NotImplementedError passes through: not started. Once a
    call has returned, a NotImplementedError is the function's answer to an input (a kind it
    refuses, say) and is kept like any error."""
    global _returned
    try:
        result = thunk()
    except Exception as exc:  # noqa: BLE001 - the verdicts decide what the error means
        if isinstance(exc, NotImplementedError) and raised_by_student(exc) and not _returned:
            raise
        return {"error": describe_error(exc)}
    _returned = True
    return {"result": result}


def copied(value: Any) -> Any:
    """value with every tensor in it copied (detached), so later in-place changes leave it as it was."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, (list, tuple)):
        return type(value)(copied(v) for v in value)
    return value


def twice(thunk: Callable[[], Any], seed: int | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """`thunk()` captured (its tensors copied at once), then again on the same inputs, each after
    seed_everything(seed) when a seed is given: a first call that changed its inputs in place shows
    in the second's value, which the grader compares with the first's, whatever bytes are sent."""
    out = []
    for _ in range(2):
        if seed is not None:
            seed_everything(seed)
        made = capture(thunk)
        out.append({**made, "result": copied(made["result"])} if "result" in made else made)
    return out[0], out[1]


def backward_if_possible(value: Any, like: torch.Tensor, weight: torch.Tensor) -> bool:
    """Backpropagate sum(weight * value) when value is a differentiable tensor shaped like `like`,
    or read so with size-1 dims added or dropped (as the checks read it: grader.check.expect.reading)."""
    same = isinstance(value, torch.Tensor) and [d for d in value.shape if d != 1] == [d for d in like.shape if d != 1]
    if same and value.requires_grad and value.numel() == like.numel():
        (weight.to(value.dtype) * value.reshape(like.shape)).sum().backward()
        return True
    return False
