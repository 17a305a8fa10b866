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

DTYPES = {  # torch name -> numpy name; only these cross the wire
    "float64": "<f8", "float32": "<f4", "float16": "<f2", "bfloat16": None,
    "int64": "<i8", "int32": "<i4", "int16": "<i2", "int8": "i1", "uint8": "u1", "bool": "?",
}


def encode_frame(payload: dict[str, Any]) -> bytes:
    buffers: list[bytes] = []
    header = json.dumps(_encode(payload, buffers), allow_nan=True).encode()
    return struct.pack(">I", len(header)) + header + b"".join(buffers)


def _encode(value: Any, buffers: list[bytes]) -> Any:
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, dict):
        return {"__dict__": [[str(k), _encode(v, buffers)] for k, v in value.items()]}
    if isinstance(value, (list, tuple)):
        return {"__seq__": type(value).__name__, "items": [_encode(v, buffers) for v in value]}
    tensor = _as_tensor(value)
    if tensor is not None:
        return _encode_tensor(tensor, buffers)
    return {"__object__": type(value).__name__, "repr": _safe_repr(value)}


def _as_tensor(value: Any) -> Any:
    try:
        import torch
    except ImportError:  # pragma: no cover - the sandbox always has torch
        return None
    return value if isinstance(value, torch.Tensor) else None


def _encode_tensor(t: Any, buffers: list[bytes]) -> dict[str, Any]:
    dtype = str(t.dtype).removeprefix("torch.")
    meta = {"__tensor__": True, "dtype": dtype, "shape": list(t.shape), "device": str(t.device),
            "requires_grad": bool(t.requires_grad), "buffer": None}
    if t.device.type != "meta" and DTYPES.get(dtype):
        data = t.detach().to("cpu").contiguous().numpy().tobytes()
        meta["buffer"] = len(data)
        buffers.append(data)
    return meta


def _safe_repr(value: Any) -> str:
    try:
        return repr(value)[:200]
    except Exception:  # noqa: BLE001 - a hostile __repr__ must not break the channel
        return "<unprintable>"
