"""A stand-in for "the inputs live on another device" that runs on the CPU.

Inputs become `OnDevice` tensors: real CPU tensors whose `.device` says 'meta'. While
the spy is active, every torch call goes through it: a device argument naming that
device is turned back into the CPU and its result marked; results computed from marked
tensors are marked; a marked tensor meeting an unmarked tensor of one or more dims
(what would raise "expected all tensors to be on the same device" on a GPU) is recorded
with the student's line. Real meta tensors would do the same job, but their first use
imports torch's Python meta kernels, about 0.8 s on every check.
"""

from __future__ import annotations

import contextlib
import functools
import sys
import traceback
from typing import Any, Iterator

import torch
from torch.overrides import TorchFunctionMode

from grader.sandbox.child import STUDENT_MODULE, student_frames, where

FAKE = torch.device("meta")
MOVES = {"to", "type_as", "new_tensor", "copy_"}  # legitimate ways to bring a tensor over
INDEXING = {"__getitem__", "__setitem__"}  # a GPU tensor may be indexed with CPU integer/bool tensors


class OnDevice(torch.Tensor):
    """A CPU tensor that reports living on FAKE, like its inputs' device would."""

    @property
    def device(self) -> torch.device:  # type: ignore[override]
        return FAKE


def _on_device(t: Any) -> bool:
    return isinstance(t, (OnDevice, torch.nn.Parameter))  # a module's parameters travel with it


def _is_fake(value: Any) -> bool:
    """A device argument naming the stand-in device (arrays and other values are never devices)."""
    return (isinstance(value, torch.device) and value == FAKE) or (isinstance(value, str) and value == "meta")


def _is_cpu(value: Any) -> bool:
    return (isinstance(value, torch.device) and value.type == "cpu") or (isinstance(value, str) and value == "cpu")


class DeviceSpy(TorchFunctionMode):
    def __init__(self) -> None:
        super().__init__()
        self.violations: list[str] = []
        self.internal: list[str] = []  # the spy's own failures: bugs of the grader, never the student's

    def __torch_function__(self, func, types, args=(), kwargs=None):
        try:
            return self._spy(func, args, kwargs)
        except _CallFailed as failed:
            raise failed.error from None  # the student's call itself raised: theirs to see
        except Exception as exc:  # noqa: BLE001 - our bookkeeping broke: run the call unobserved
            self.internal.append(f"{getattr(func, '__name__', func)}: {type(exc).__name__}: {exc}"[:300])
            with torch._C.DisableTorchFunctionSubclass():
                return func(*args, **(kwargs or {}))

    def _spy(self, func, args, kwargs):
        name, flat = getattr(func, "__name__", str(func)), _leaves((args, kwargs or {}))
        requested = any(_is_fake(v) for v in flat)
        leaves = name in ("cpu", "numpy") or (name == "to" and any(_is_cpu(v) for v in flat))
        args, kwargs = _mapped((args, kwargs or {}), lambda v: torch.device("cpu") if _is_fake(v) else v)
        tensors = [t for t in flat if isinstance(t, torch.Tensor)]
        marked = any(_on_device(t) for t in tensors)
        if marked and name not in MOVES and not _TRANSFORMING and any(_stray(t, name) for t in tensors):
            self.violations.append(_student_line(name))
        with torch._C.DisableTorchFunctionSubclass():
            try:
                out = func(*args, **kwargs)
            except Exception as exc:  # noqa: BLE001 - raised by torch for the student's arguments
                raise _CallFailed(exc) from None
        if leaves:
            return _mapped(out, lambda t: t.as_subclass(torch.Tensor) if isinstance(t, OnDevice) else t)
        if marked or requested:
            return _mapped(out, _marked)
        return out


def _marked(value: Any) -> Any:
    return value.as_subclass(OnDevice) if type(value) is torch.Tensor else value


def _leaves(value: Any) -> list[Any]:
    """The values inside plain lists, tuples and dicts (a torch.Size is a leaf: it holds only sizes)."""
    if isinstance(value, (list, tuple)) and not isinstance(value, torch.Size):
        return [leaf for item in value for leaf in _leaves(item)]
    if isinstance(value, dict):
        return [leaf for item in value.values() for leaf in _leaves(item)]
    return [value]


def _mapped(value: Any, change) -> Any:
    """`value` with `change` applied to each leaf, every container keeping its own type; a container
    in which nothing changed is the very same object. Arguments are rebuilt only where the spy must
    change them: a torch.Size rebuilt as a tuple turns `std.new(std.size())` into a tensor of two
    numbers, and a named tuple into a plain one."""
    if isinstance(value, (list, tuple)) and not isinstance(value, torch.Size):
        items = [_mapped(item, change) for item in value]
        if all(new is old for new, old in zip(items, value)):
            return value
        if type(value) in (list, tuple):
            return type(value)(items)
        return type(value)(*items) if hasattr(value, "_fields") else type(value)(items)  # named tuple, or torch's structseq
    if isinstance(value, dict):
        items = {key: _mapped(item, change) for key, item in value.items()}
        return value if all(items[key] is value[key] for key in value) else {**value, **items}
    return change(value)


class _CallFailed(Exception):
    """Carries an exception raised by the call being observed, past the spy's own error handling."""

    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error


def _stray(t: torch.Tensor, op: str) -> bool:
    """A tensor that would sit on the wrong device here: a CPU tensor with dims (0-dim CPU
    tensors mix with any device), unless it only indexes."""
    if _on_device(t) or t.dim() == 0:
        return False
    return not (op in INDEXING and (t.dtype == torch.bool or not t.is_floating_point()))


def _student_line(op: str) -> str:
    return op + where(student_frames(traceback.extract_stack()))


class _VariableMeta(type):
    def __instancecheck__(cls, other: Any) -> bool:
        return isinstance(other, torch.Tensor)


class _Variable(metaclass=_VariableMeta):
    """What the legacy torch.autograd.Variable(x, requires_grad=...) does today, in tensor ops:
    Variable() is built in C without a torch-function hook, so the spy would see its result as
    a stray CPU tensor and report correct classic code."""

    def __new__(cls, data, requires_grad=False, volatile=False):
        return data.detach().requires_grad_(requires_grad)


TRANSFORMS = ("vmap", "grad", "grad_and_value", "jacrev", "jacfwd", "hessian")  # torch.func's
_TRANSFORMING: list[Any] = []  # the transforms whose function is running now, innermost last


def _transform_followed(original):
    """torch.func's transforms run their function below the spy's reach (functorch's own
    dispatch), so its results would come back as stray CPU tensors and correct code would be
    reported: the results are marked when the inputs were. What runs inside is not observed, so
    a stray tensor made there goes unreported: a missed report, never a false one."""
    @functools.wraps(original)
    def transform(func, *options, **named):
        transformed = original(func, *options, **named)

        @functools.wraps(transformed)
        def call(*args, **kwargs):
            marked = any(_on_device(t) for t in _leaves((args, kwargs)))
            _TRANSFORMING.append(original)  # inside, functorch's own tensors carry no marks: judge nothing
            try:
                out = transformed(*args, **kwargs)
            finally:
                _TRANSFORMING.pop()
            return _mapped(out, _marked) if marked else out
        return call
    return transform


def _stand_ins() -> dict[int, tuple[Any, Any]]:
    """id(original) -> (original, stand-in) for the calls the spy cannot see into."""
    pairs = [(torch.autograd.variable.Variable, _Variable)]
    pairs += [(getattr(torch.func, name), _transform_followed(getattr(torch.func, name))) for name in TRANSFORMS]
    return {id(original): (original, stand_in) for original, stand_in in pairs}


@contextlib.contextmanager
def _followed() -> Iterator[None]:
    """Swap in the stand-ins, wherever the originals are reachable by name (torch's modules and
    the submission's globals), while the spy runs."""
    stand_ins = _stand_ins()
    homes = [vars(m) for m in (torch, torch.autograd, torch.autograd.variable, torch.func, sys.modules.get("functorch"),
                               sys.modules.get(STUDENT_MODULE)) if m is not None]
    undo = [(home, key, value) for home in homes for key, value in list(home.items()) if id(value) in stand_ins
            and stand_ins[id(value)][0] is value]
    for home, key, value in undo:
        home[key] = stand_ins[id(value)][1]
    try:
        yield
    finally:
        for home, key, value in undo:
            home[key] = value


def run_on_device(call) -> dict[str, Any]:
    """Run call(move), where move(t) puts t 'on the device'; report result, error, violations."""
    from grader.sandbox.probing import capture

    spy = DeviceSpy()
    with _followed(), spy:
        observed = capture(lambda: call(lambda t: t.as_subclass(OnDevice)))
    observed["violations"] = spy.violations[:5]
    observed["internal"] = spy.internal[:3]
    result = observed.get("result")  # its values too (a tensor 'on the device' carries none), for the
    if isinstance(result, (torch.Tensor, list, tuple)):  # grader to judge the device of a right value only
        observed["values"] = _mapped(result, lambda t: t.detach().as_subclass(torch.Tensor) if isinstance(t, OnDevice) else t)
    return observed
