"""Probe-side helpers: these run in the student's process, next to the student's code."""

from __future__ import annotations

import traceback
from typing import Any, Callable

import torch

from grader.sandbox.child import raised_by_student, student_frames, where


def capture(thunk: Callable[[], Any]) -> dict[str, Any]:
    """Run `thunk`, keeping its result or the error it raised (as text) for the judge."""
    try:
        return {"result": thunk()}
    except Exception as exc:  # noqa: BLE001 - the judge decides what the error means
        if isinstance(exc, NotImplementedError) and raised_by_student(exc):
            raise  # the stub's own: the exercise is not started
        return {"error": f"{type(exc).__name__}: {exc}"[:500] + where(student_frames(traceback.extract_tb(exc.__traceback__)))}


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
