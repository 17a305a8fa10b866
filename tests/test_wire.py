"""The result channel: what the sandbox encodes comes back exactly; anything malformed raises
WireError (never another exception, never a hang), whatever bytes the other end writes."""

from __future__ import annotations

import json
import math
import struct
import time
from collections import namedtuple

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from grader.check.runner import Observations
from grader.check.wire import (MAX_DEPTH, MAX_FRAMES, ObjectValue, TensorValue, WireError, decode_frames,
                               read_observations)
from grader.sandbox.frames import MAX_SENT_ELEMENTS, encode_frame

SENT = [torch.float64, torch.float32, torch.float16, torch.int64, torch.int32, torch.int16, torch.int8,
        torch.uint8, torch.bool]


def round_trip(value):
    (frame,) = decode_frames(encode_frame({"value": value}))
    return frame["value"]


@pytest.mark.parametrize("dtype", SENT, ids=str)
def test_every_sent_dtype_comes_back_bit_for_bit(dtype):
    t = (torch.randn(3, 4) * 50).to(dtype)
    got = round_trip(t)
    assert isinstance(got, TensorValue) and got.dtype == str(dtype)[6:] and got.shape == (3, 4)
    assert got.data.dtype == dtype and torch.equal(got.data, t)


def test_tensor_metadata_comes_back_and_values_only_when_they_can():
    t = torch.ones(2, 3, dtype=torch.float64, requires_grad=True)
    assert round_trip(t).requires_grad is True and round_trip(t).device == "cpu"
    assert round_trip(torch.ones(2, dtype=torch.bfloat16)).data is None
    assert round_trip(torch.empty(2, 5, device="meta")) == TensorValue(None, "float32", (2, 5), "meta", False)
    assert round_trip(torch.zeros(0, 3)).data.shape == (0, 3)


def test_a_result_far_too_large_is_summarised_with_its_shape():
    huge = torch.zeros(MAX_SENT_ELEMENTS + 1, dtype=torch.uint8)
    got = round_trip(huge)
    assert got.data is None and got.shape == (MAX_SENT_ELEMENTS + 1,)
    assert round_trip(torch.zeros(MAX_SENT_ELEMENTS, dtype=torch.uint8)).data is not None


def test_containers_and_plain_values_keep_their_kind():
    Pair = namedtuple("Pair", "x_t noise")
    value = {"t": (1, [2.5, None]), "s": "ok", "b": False, "n": float("nan"), "pair": Pair(1, 2), "big": 10**30}
    got = round_trip(value)
    assert got["t"] == (1, [2.5, None]) and isinstance(got["t"], tuple) and isinstance(got["t"][1], list)
    assert got["s"] == "ok" and got["b"] is False and math.isnan(got["n"]) and got["pair"] == (1, 2)
    assert got["big"] == ObjectValue("int", repr(10**30))
    assert round_trip(object()).type == "object"


def test_a_container_that_holds_itself_is_cut_off():
    loop: list = []
    loop.append(loop)
    got = round_trip(loop)
    depth = 0
    while isinstance(got, list):
        got, depth = got[0], depth + 1
    assert isinstance(got, ObjectValue) and depth > 10


def frame(header, tail=b"") -> bytes:
    data = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack(">I", len(data)) + data + tail


def tensor(shape, nbytes, dtype="float64"):
    return {"__tensor__": True, "dtype": dtype, "shape": shape, "device": "cpu", "requires_grad": False,
            "buffer": nbytes}


def probe(outputs):
    return {"kind": "probe", "name": "p", "outputs": outputs}


MALFORMED = {
    "cut length": b"\x00\x00",
    "header past the end": struct.pack(">I", 50) + b"{}",
    "header too large": struct.pack(">I", 1 << 21) + b"{}",
    "not JSON": frame(b"{nope"),
    "nested brackets": frame(b"[" * 100_000 + b"]" * 100_000),
    "nested too deep": frame(json.dumps(probe({"__dict__": [["a", {"__seq__": "list", "items": []}]]}))
                             .replace('"items": []', '"items": [' * (MAX_DEPTH + 2) + "]" * (MAX_DEPTH + 2)).encode()),
    "a list node": frame(probe([1, 2])),
    "seq without items": frame(probe({"__seq__": "list"})),
    "seq of an unknown kind": frame(probe({"__seq__": "set", "items": []})),
    "unknown node": frame(probe({"__what__": 1})),
    "extra key": frame(probe({"__object__": "x", "repr": "y", "z": 1})),
    "repeated key": frame(probe({"__dict__": [["a", 1], ["a", 2]]})),
    "key not a string": frame(probe({"__dict__": [[1, 2]]})),
    "negative buffer": frame(probe({"__dict__": [["x", tensor([3], -24)]]}), b"\0" * 24),
    "buffer past the end": frame(probe({"__dict__": [["x", tensor([3], 24)]]}), b"\0" * 8),
    "buffer of the wrong size": frame(probe({"__dict__": [["x", tensor([4], 12, "float32")]]}), b"\0" * 12),
    "huge shape": frame(probe({"__dict__": [["x", tensor([2**40], 8)]]}), b"\0" * 8),
    "negative dim": frame(probe({"__dict__": [["x", tensor([-1], 0)]]})),
    "float dim": frame(probe({"__dict__": [["x", tensor([2.0], 16)]]}), b"\0" * 16),
    "buffer for bfloat16": frame(probe({"__dict__": [["x", tensor([2], 4, "bfloat16")]]}), b"\0" * 4),
    "bool buffer": frame(probe({"__dict__": [["x", tensor([1], True)]]}), b"\0" * 8),
    "bad dtype": frame(probe({"__dict__": [["x", tensor([1], None, "float64; rm -rf /")]]})),
    "long string": frame(probe({"__dict__": [["x", "a" * (1 << 17)]]})),
    "too many frames": b"".join(frame({"kind": "probe", "name": f"p{i}", "outputs": {"__dict__": []}})
                                for i in range(MAX_FRAMES + 1)),
}
BAD_RUNS = {
    "frame after done": [{"kind": "done"}, probe({"__dict__": []})],
    "probe twice": [probe({"__dict__": []}), probe({"__dict__": []})],
    "unnamed probe": [{"kind": "probe", "name": 3, "outputs": {"__dict__": []}}],
    "outputs not a record": [probe(5)],
    "error missing keys": [{"kind": "probe", "name": "p", "error": {"type": "X"}}],
    "error with bad frames": [{"kind": "probe", "name": "p", "error": {
        "type": "X", "message": "m", "raised_by_student": True, "frames": [{"line": "1"}]}}],
    "import error twice": [{"kind": "import_error", "error": {"type": "X", "message": "m", "frames": [],
                                                             "raised_by_student": False}}] * 2,
    "unknown kind": [{"kind": "verdict", "score": 10}],
    "done with extras": [{"kind": "done", "score": 10}],
}


@pytest.mark.parametrize("blob", MALFORMED.values(), ids=MALFORMED.keys())
def test_every_malformed_channel_raises_wire_error(blob):
    with pytest.raises(WireError):
        read_observations(blob, Observations())


@pytest.mark.parametrize("frames", BAD_RUNS.values(), ids=BAD_RUNS.keys())
def test_every_malformed_run_raises_wire_error(frames):
    with pytest.raises(WireError):
        read_observations(b"".join(frame(f) for f in frames), Observations())


def test_a_well_formed_run_fills_the_observations():
    error = {"type": "ValueError", "message": "m", "frames": [{"line": 3, "function": "f", "code": "x"}],
             "raised_by_student": True}
    blob = (encode_frame({"kind": "probe", "name": "a", "outputs": {"z": torch.ones(2)}})
            + encode_frame({"kind": "probe", "name": "b", "error": error}) + encode_frame({"kind": "done"}))
    obs = Observations()
    read_observations(blob, obs)
    assert obs.finished and torch.equal(obs.probes["a"]["outputs"]["z"].data, torch.ones(2))
    assert obs.probes["b"]["error"] == error


def valid_channel() -> bytes:
    return (encode_frame({"kind": "probe", "name": "a", "outputs": {"z": torch.arange(6.0).reshape(2, 3),
                                                                     "t": (1, [2, "x"])}})
            + encode_frame({"kind": "done"}))


def only_wire_errors(blob: bytes) -> None:
    start = time.monotonic()
    try:
        read_observations(blob, Observations())
    except WireError:
        pass
    assert time.monotonic() - start < 6


@given(st.binary(max_size=4096))
def test_fuzz_random_bytes(blob):
    only_wire_errors(blob)


@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 255)), max_size=8), st.integers(0, 400))
def test_fuzz_a_valid_channel_with_bytes_changed_and_cut(changes, cut):
    blob = bytearray(valid_channel())
    for position, value in changes:
        blob[position % len(blob)] = value
    only_wire_errors(bytes(blob[:len(blob) - cut % len(blob)]))


JSONISH = st.recursive(st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
                       lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
                           st.sampled_from(["kind", "name", "outputs", "error", "__dict__", "__seq__", "items",
                                            "__tensor__", "dtype", "shape", "buffer", "device", "requires_grad",
                                            "__object__", "repr", "probe", "done"]) | st.text(max_size=4),
                           inner, max_size=6), max_leaves=30)


@given(st.lists(JSONISH, max_size=4), st.binary(max_size=64))
def test_fuzz_structured_headers(headers, tail):
    only_wire_errors(b"".join(frame(h) for h in headers) + tail)
