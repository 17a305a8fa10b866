"""The result channel between a sandboxed probe run and the judge.

Frames carry plain data only: a JSON header plus raw array bytes. Nothing is ever
unpickled, so a hostile submission can send wrong numbers but never code, and it can
never send a verdict: verdicts are computed by the judge from these numbers.

A frame is ``>I`` header length, the UTF-8 JSON header, then the raw bytes of each
buffer the header lists, in order. This module imports neither torch nor numpy at import
time, so the sandbox and the judge pay for them only when they need them.
"""

from __future__ import annotations

import json
import struct
from dataclasses import dataclass
from typing import Any

from grader.sandbox.frames import DTYPES

MAX_HEADER = 1 << 20


class WireError(Exception):
    """The channel held something that is not a well-formed frame."""


@dataclass(frozen=True)
class TensorValue:
    """What the judge knows of a tensor the student's code produced."""

    data: Any  # torch.Tensor on the CPU (None for meta tensors or unsendable dtypes)
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


# --- decoding (runs in the judge) ------------------------------------------------------

def decode_frames(blob: bytes) -> list[dict[str, Any]]:
    """Split a channel's bytes into frames; raise WireError on anything malformed."""
    frames, pos = [], 0
    while pos < len(blob):
        if pos + 4 > len(blob):
            raise WireError("truncated frame length")
        (size,) = struct.unpack(">I", blob[pos:pos + 4])
        if size > MAX_HEADER or pos + 4 + size > len(blob):
            raise WireError("frame header too large or truncated")
        try:
            header = json.loads(blob[pos + 4:pos + 4 + size])
        except ValueError as exc:
            raise WireError(f"frame header is not JSON: {exc}") from None
        pos += 4 + size
        cursor = [pos]
        frames.append(_decode(header, blob, cursor))
        pos = cursor[0]
    return frames


def _decode(node: Any, blob: bytes, cursor: list[int]) -> Any:
    if node is None or isinstance(node, (bool, int, float, str)):
        return node
    if not isinstance(node, dict):
        raise WireError(f"unexpected node {type(node).__name__}")
    if "__dict__" in node:
        return {str(k): _decode(v, blob, cursor) for k, v in node["__dict__"]}
    if "__seq__" in node:
        items = [_decode(v, blob, cursor) for v in node["items"]]
        return tuple(items) if node["__seq__"] == "tuple" else items
    if node.get("__tensor__"):
        return _decode_tensor(node, blob, cursor)
    if "__object__" in node:
        return ObjectValue(str(node["__object__"]), str(node.get("repr", "")))
    raise WireError("unknown node")


def _decode_tensor(node: dict[str, Any], blob: bytes, cursor: list[int]) -> TensorValue:
    import numpy as np
    import torch

    dtype, shape = str(node["dtype"]), tuple(int(s) for s in node["shape"])
    data = None
    if node.get("buffer") is not None:
        nbytes, start = int(node["buffer"]), cursor[0]
        np_dtype = DTYPES.get(dtype)
        if np_dtype is None or start + nbytes > len(blob):
            raise WireError("tensor buffer truncated or of an unknown dtype")
        array = np.frombuffer(blob, dtype=np_dtype, count=nbytes // np.dtype(np_dtype).itemsize,
                              offset=start)
        if array.size != int(np.prod(shape, dtype=np.int64)):
            raise WireError("tensor buffer does not match its shape")
        data = torch.from_numpy(array.reshape(shape).copy())
        cursor[0] = start + nbytes
    return TensorValue(data, dtype, shape, str(node["device"]), bool(node["requires_grad"]))
