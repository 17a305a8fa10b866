"""Read the result channel, strictly: its other end is the student's process.

The sandbox writes frames (`grader.sandbox.frames`): a `>I` header length, a JSON header,
then the raw bytes of each tensor buffer the header announces, in order. Every node is
checked here: its type and keys, each tensor's dtype, shape and `nbytes == prod(shape) *
itemsize`, buffers inside the channel and in sequence, strings, nesting depth, node and frame
counts, and a deadline; every string leaves as valid text (a lone surrogate is written out as
its escape). Anything else raises WireError, and the run is void: one clear
sentence for the student, never a traceback or a hang. Nothing is ever unpickled.
"""

from __future__ import annotations

import json
import math
import struct
import time
from dataclasses import dataclass
from typing import Any

from grader.check.output import valid_text
from grader.sandbox.frames import DTYPES

MAX_HEADER = 1 << 20
MAX_FRAMES = 256
MAX_DEPTH = 40
MAX_NODES = 200_000
MAX_STRING = 1 << 16
MAX_DIMS = 16
DEADLINE_S = 5.0
ITEMSIZE = {"<f8": 8, "<f4": 4, "<f2": 2, "<i8": 8, "<i4": 4, "<i2": 2, "i1": 1, "u1": 1, "?": 1}


class WireError(Exception):
    """The channel held something that is not a well-formed frame."""


@dataclass(frozen=True)
class TensorValue:
    """What the grader knows of a tensor the student's code produced."""

    data: Any  # torch.Tensor on the CPU; None when its values were not sent (meta, bfloat16, too large)
    dtype: str
    shape: tuple[int, ...]
    device: str
    requires_grad: bool

    @property
    def device_type(self) -> str:
        return self.device.split(":")[0]


@dataclass(frozen=True)
class ObjectValue:
    """Anything that is not a tensor, number, string or container: kept by type and repr."""

    type: str
    repr: str


def decode_frames(blob: bytes) -> list[Any]:
    """Split a channel's bytes into decoded frames; WireError on anything malformed."""
    reader = _Reader(blob)
    frames = []
    while reader.pos < len(blob):
        if len(frames) >= MAX_FRAMES:
            raise WireError(f"more than {MAX_FRAMES} frames")
        frames.append(reader.frame())
    return frames


class _Reader:
    def __init__(self, blob: bytes):
        self.blob, self.pos, self.nodes = blob, 0, 0
        self.deadline = time.monotonic() + DEADLINE_S

    def frame(self) -> Any:
        if self.pos + 4 > len(self.blob):
            raise WireError("a frame is cut short")
        (size,) = struct.unpack(">I", self.blob[self.pos:self.pos + 4])
        if size > MAX_HEADER or self.pos + 4 + size > len(self.blob):
            raise WireError("a frame header is too large or cut short")
        try:
            header = json.loads(self.blob[self.pos + 4:self.pos + 4 + size])
        except (ValueError, RecursionError):
            raise WireError("a frame header is not JSON, or is nested too deeply") from None
        self.pos += 4 + size
        return self.node(header, 0)

    def node(self, value: Any, depth: int) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise WireError("the results are nested too deeply or hold too many values")
        if self.nodes % 4096 == 0 and time.monotonic() > self.deadline:
            raise WireError("the results took too long to read")
        if value is None or isinstance(value, (bool, int)):
            return value
        if isinstance(value, float):
            return value
        if isinstance(value, str):
            return _string(value)
        if not isinstance(value, dict):
            raise WireError(f"unexpected {type(value).__name__} node")
        keys = frozenset(value)
        if keys == {"__dict__"}:
            return self.mapping(value["__dict__"], depth)
        if keys == {"__seq__", "items"} and value["__seq__"] in ("list", "tuple") and isinstance(value["items"], list):
            items = [self.node(v, depth + 1) for v in value["items"]]
            return tuple(items) if value["__seq__"] == "tuple" else items
        if keys == {"__tensor__", "dtype", "shape", "device", "requires_grad", "buffer"} and value["__tensor__"] is True:
            return self.tensor(value)
        if keys == {"__object__", "repr"} and isinstance(value["__object__"], str) and isinstance(value["repr"], str):
            return ObjectValue(_string(value["__object__"]), _string(value["repr"]))
        raise WireError("unknown node")

    def mapping(self, pairs: Any, depth: int) -> dict[str, Any]:
        if not isinstance(pairs, list):
            raise WireError("a mapping node is not a list of pairs")
        out: dict[str, Any] = {}
        for pair in pairs:
            key = _string(pair[0]) if isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str) else None
            if key is None or key in out:
                raise WireError("a mapping holds a malformed or repeated key")
            out[key] = self.node(pair[1], depth + 1)
        return out

    def tensor(self, node: dict[str, Any]) -> TensorValue:
        dtype, shape, device, grad, nbytes = (node[k] for k in ("dtype", "shape", "device", "requires_grad", "buffer"))
        if not (isinstance(dtype, str) and dtype.isidentifier() and len(dtype) <= 32 and isinstance(device, str)
                and len(device) <= 64 and isinstance(grad, bool)):
            raise WireError("a tensor has a malformed dtype or device")
        if not (isinstance(shape, list) and len(shape) <= MAX_DIMS
                and all(type(s) is int and 0 <= s < 2**40 for s in shape)):
            raise WireError("a tensor has a malformed shape")
        data = None
        if nbytes is not None:
            data = self.buffer(DTYPES.get(dtype), tuple(shape), nbytes)
        return TensorValue(data, dtype, tuple(shape), device, grad)

    def buffer(self, np_dtype: str | None, shape: tuple[int, ...], nbytes: Any) -> Any:
        import numpy as np
        import torch

        if np_dtype is None or type(nbytes) is not int or nbytes != math.prod(shape) * ITEMSIZE[np_dtype]:
            raise WireError("a tensor's byte count does not match its shape and dtype")
        start, end = self.pos, self.pos + nbytes
        if end > len(self.blob):
            raise WireError("a tensor's bytes run past the end of the channel")
        self.pos = end
        array = np.frombuffer(self.blob, dtype=np_dtype, count=math.prod(shape), offset=start)
        return torch.from_numpy(array.reshape(shape).copy())


def _string(value: str) -> str:
    """Every string of the channel (messages, reprs, names, keys) leaves here as valid text."""
    if len(value) > MAX_STRING:
        raise WireError("a string is too long")
    return valid_text(value)


# --- frames as the sandbox sends them ---------------------------------------------------------

def read_observations(blob: bytes, obs: Any) -> None:
    """Fill `obs` (runner.Observations) from the channel; WireError when any frame is malformed,
    repeated, out of place, or follows `done`."""
    for frame in decode_frames(blob):
        if obs.finished or not isinstance(frame, dict):
            raise WireError("a frame follows the end of the run, or is not a record")
        kind, keys = frame.get("kind"), frozenset(frame)
        if kind == "probe" and keys in ({"kind", "name", "outputs"}, {"kind", "name", "error"}):
            _probe(frame, obs)
        elif kind == "import_error" and keys == {"kind", "error"} and obs.import_error is None:
            obs.import_error = _error(frame["error"])
        elif kind == "missing_function" and keys == {"kind", "function"} and isinstance(frame["function"], str):
            obs.missing_function = frame["function"]
        elif kind == "done" and keys == {"kind"}:
            obs.finished = True
        else:
            raise WireError("the channel held an unexpected or repeated frame")


def _probe(frame: dict[str, Any], obs: Any) -> None:
    name = frame["name"]
    if not isinstance(name, str) or name in obs.probes:
        raise WireError("a probe is unnamed or reported twice")
    if "error" in frame:
        obs.probes[name] = {"name": name, "error": _error(frame["error"])}
    elif isinstance(frame["outputs"], dict):
        obs.probes[name] = {"name": name, "outputs": frame["outputs"]}
    else:
        raise WireError("a probe's outputs are not a record")


ERROR_FIELDS = {"type": str, "message": str, "frames": list, "raised_by_student": bool}
FRAME_FIELDS = {"line": int, "function": str, "code": str}


def _error(error: Any) -> dict[str, Any]:
    """An exception as the sandbox describes it, checked field by field."""
    if not isinstance(error, dict) or not all(isinstance(error.get(k), t) for k, t in ERROR_FIELDS.items()):
        raise WireError("an error report is malformed")
    for frame in error["frames"]:
        if not (isinstance(frame, dict) and all(isinstance(frame.get(k), t) for k, t in FRAME_FIELDS.items())):
            raise WireError("an error report's frames are malformed")
    for key, kind in (("line", int), ("offset", int), ("code", str)):
        if error.get(key) is not None and not isinstance(error[key], kind):
            raise WireError("an error report's position is malformed")
    return error
