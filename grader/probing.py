"""Probe-side helpers: these run in the student's process, next to the student's code."""

from __future__ import annotations

import sys
import traceback
from typing import Any, Callable

import torch


def capture(thunk: Callable[[], Any]) -> dict[str, Any]:
    """Run `thunk`, keeping its result or the error it raised (as text) for the judge."""
    try:
        return {"result": thunk()}
    except Exception as exc:  # noqa: BLE001 - the judge decides what the error means
        frames = _student_frames(exc)
        if isinstance(exc, NotImplementedError) and frames and frames[-1] == traceback.extract_tb(exc.__traceback__)[-1]:
            raise  # the stub's own: the exercise is not started
        return {"error": f"{type(exc).__name__}: {exc}"[:500] + _where(frames)}


def _student_frames(exc: BaseException) -> list[traceback.FrameSummary]:
    """The traceback frames in the student's file (imported as module `submission`)."""
    student = getattr(sys.modules.get("submission"), "__file__", None)
    return [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == student]


def _where(frames: list[traceback.FrameSummary]) -> str:
    """' (line N: code)' of the innermost student frame."""
    return f" (line {frames[-1].lineno}: {(frames[-1].line or '').strip()})" if frames else ""


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
