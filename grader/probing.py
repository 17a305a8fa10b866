"""Probe-side helpers: these run in the student's process, next to the student's code."""

from __future__ import annotations

from typing import Any, Callable

import torch


def capture(thunk: Callable[[], Any]) -> dict[str, Any]:
    """Run `thunk`, keeping its result or the error it raised (as text) for the judge."""
    try:
        return {"result": thunk()}
    except NotImplementedError as exc:
        if "Meta" not in str(exc):
            raise  # the stub's own: the exercise is not started
        return {"error": f"NotImplementedError: {exc}"[:500]}
    except Exception as exc:  # noqa: BLE001 - the judge decides what the error means
        return {"error": f"{type(exc).__name__}: {exc}"[:500]}


def seeded(seed: int) -> torch.Generator:
    """A private generator: inputs are rebuilt identically in the judge, whatever the
    student's code does to the global random state."""
    return torch.Generator().manual_seed(seed)


def backward_if_possible(value: Any, like: torch.Tensor, weight: torch.Tensor) -> bool:
    """Backpropagate sum(weight * value) when value is a differentiable tensor shaped like `like`."""
    if isinstance(value, torch.Tensor) and value.requires_grad and value.shape == like.shape:
        (weight.to(value.dtype) * value).sum().backward()
        return True
    return False
