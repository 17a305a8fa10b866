"""Frames on the result channel, as the sandbox writes them.

A frame is `>I` header length, the UTF-8 JSON header, then the raw bytes of each buffer the
header lists, in order. Frames carry plain data only: nothing is ever pickled, so a hostile
submission can send wrong numbers but never code, and never a verdict (verdicts are made by
the grader from these numbers; `grader.check.wire` reads and validates them).
"""

from __future__ import annotations

import json
import struct
from typing import Any

MAX_SENT_ELEMENTS = 1 << 21  # ~2M values: far above any probe's result (the largest is 25,000)
DTYPES = {  # torch name -> numpy name; only these cross the wire
    "float64": "<f8", "float32": "<f4", "float16": "<f2", "bfloat16": None,
    "int64": "<i8", "int32": "<i4", "int16": "<i2", "int8": "i1", "uint8": "u1", "bool": "?",
}


MAX_DEPTH = 24  # deeper containers (or one that holds itself) are sent as their repr


def encode_frame(payload: dict[str, Any]) -> bytes:
    buffers: list[bytes] = []
    header = json.dumps(_encode(payload, buffers, 0), allow_nan=True).encode()
    return struct.pack(">I", len(header)) + header + b"".join(buffers)


def _encode(value: Any, buffers: list[bytes], depth: int) -> Any:
    if value is None or type(value) in (bool, float, str) or (type(value) is int and abs(value) < 2**63):
        return value
    if depth < MAX_DEPTH and isinstance(value, dict):
        keys = [str(k) for k in value]
        if len(set(keys)) == len(keys):  # keys that print alike (1 and "1") are sent as the dict's repr
            return {"__dict__": [[k, _encode(v, buffers, depth + 1)] for k, v in zip(keys, value.values())]}
    if depth < MAX_DEPTH and isinstance(value, (list, tuple)):  # a namedtuple is sent as the tuple it is
        kind = "tuple" if isinstance(value, tuple) else "list"
        return {"__seq__": kind, "items": [_encode(v, buffers, depth + 1) for v in value]}
    tensor = _as_tensor(value)
    if tensor is not None:
        return _encode_tensor(tensor, buffers)
    array = _numpy_array(value)
    if array is not None:
        return _encode_tensor(array, buffers, device="numpy")
    return {"__object__": type(value).__name__, "repr": _safe_repr(value)}


def _as_tensor(value: Any) -> Any:
    try:
        import torch
    except ImportError:  # pragma: no cover - the sandbox always has torch
        return None
    return value if isinstance(value, torch.Tensor) else None


def _numpy_array(value: Any) -> Any:
    """A numpy array of numbers as a CPU tensor (sent as a tensor whose device is 'numpy'), else None."""
    if type(value).__name__ != "ndarray" or type(value).__module__ != "numpy":
        return None
    try:
        import torch

        return torch.from_numpy(value.copy())
    except Exception:  # noqa: BLE001 - object, complex or other arrays are sent by their repr
        return None


def _encode_tensor(t: Any, buffers: list[bytes], device: str | None = None) -> dict[str, Any]:
    """Shape, dtype, device and grad flag always; the values only when they can cross the wire and
    are of a size a probe expects (a result far too large is summarised, so the grader can still
    name the shape mistake behind it)."""
    dtype = str(t.dtype).removeprefix("torch.")
    meta = {"__tensor__": True, "dtype": dtype, "shape": list(t.shape), "device": device or str(t.device),
            "requires_grad": bool(t.requires_grad), "buffer": None}
    if t.device.type != "meta" and DTYPES.get(dtype) and t.numel() <= MAX_SENT_ELEMENTS:
        data = t.detach().to("cpu").contiguous().numpy().tobytes()
        meta["buffer"] = len(data)
        buffers.append(data)
    return meta


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:200]
    except Exception:  # noqa: BLE001 - a hostile __repr__ must not break the channel
        return "<unprintable>"
