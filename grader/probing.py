"""Probe-side helpers: these run in the student's process, next to the student's code."""

from __future__ import annotations

import traceback
from pathlib import Path
from typing import Any, Callable

import torch

_OURS = (str(Path(torch.__file__).parent), str(Path(__file__).parent))


def capture(thunk: Callable[[], Any]) -> dict[str, Any]:
    """Run `thunk`, keeping its result or the error it raised (as text) for the judge."""
    try:
        return {"result": thunk()}
    except NotImplementedError as exc:
        if "Meta" not in str(exc):
            raise  # the stub's own: the exercise is not started
        return {"error": f"NotImplementedError: {exc}"[:500]}
    except Exception as exc:  # noqa: BLE001 - the judge decides what the error means
        return {"error": f"{type(exc).__name__}: {exc}"[:500] + _where(exc)}


def _where(exc: BaseException) -> str:
    """' (line N: code)' of the innermost frame outside torch and the grader: the student's."""
    frames = [f for f in traceback.extract_tb(exc.__traceback__) if not f.filename.startswith(_OURS)]
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
