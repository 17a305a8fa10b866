"""The result channel: what the sandbox encodes comes back exactly; anything malformed raises
WireError with the one sentence the student reads (never another exception, never a hang),
whatever bytes the other end writes."""

from __future__ import annotations

import json
import math
import struct
import time
from collections import namedtuple
from types import SimpleNamespace

import pytest
import torch
from hypothesis import given
from hypothesis import strategies as st

from grader.check import wire
from grader.check.runner import Observations
from grader.check.wire import (MAX_DEPTH, MAX_DIMS, MAX_FRAMES, MAX_HEADER, MAX_NODES, MAX_STRING, ObjectValue,
                               TensorValue, WireError, decode_frames, read_observations)
from grader.sandbox.frames import MAX_DEPTH as SENT_DEPTH
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


def nest(wrap, levels):
    """0 wrapped `levels` times by `wrap` (as a frame: the outermost node at depth 0, the 0 at depth `levels`)."""
    node = 0
    for _ in range(levels):
        node = wrap(node)
    return node


def test_a_dict_whose_keys_print_alike_is_sent_as_its_repr():
    # the keys are sent as their str(); 1 and "1" would be one key twice, which voids the run
    assert round_trip({1: "a", "1": "b"}) == ObjectValue("dict", "{1: 'a', '1': 'b'}")
    assert round_trip({1: "a", 2: "b"}) == {"1": "a", "2": "b"}


def unwrap(value):
    """The leaf of a chain of containers (each holding one value), and how many containers held it."""
    depth = 0
    while isinstance(value, (dict, list)):
        value, depth = next(iter(value.values())) if isinstance(value, dict) else value[0], depth + 1
    return value, depth


@pytest.mark.parametrize("wrap", [lambda v: {"k": v}, lambda v: [v]], ids=["dict", "list"])
def test_containers_are_sent_down_to_max_depth_and_deeper_ones_as_their_repr(wrap):
    # the frame's own record is at depth 0, so the value's outermost container is at depth 1
    assert unwrap(round_trip(nest(wrap, SENT_DEPTH - 1))) == (0, SENT_DEPTH - 1)
    innermost = wrap(0)
    assert unwrap(round_trip(nest(wrap, SENT_DEPTH))) == (ObjectValue(type(innermost).__name__, repr(innermost)),
                                                          SENT_DEPTH - 1)


def test_a_container_that_holds_itself_is_cut_off():
    loop: list = []
    loop.append(loop)
    assert unwrap(round_trip(loop)) == (ObjectValue("list", "[[...]]"), SENT_DEPTH - 1)


@pytest.mark.parametrize("value, as_number", [(2**63 - 1, True), (1 - 2**63, True), (2**63, False), (-2**63, False)],
                         ids=str)
def test_ints_inside_plus_or_minus_2_to_the_63_are_sent_as_numbers_others_as_their_repr(value, as_number):
    sent = value if as_number else ObjectValue("int", str(value))
    got = round_trip(value)
    assert got == sent and type(got) is type(sent)


class LongRepr:
    def __repr__(self):
        return "r" * 300


class BrokenRepr:
    def __repr__(self):
        raise RuntimeError("no repr")


def test_an_object_is_sent_as_its_type_and_at_most_200_characters_of_repr():
    assert round_trip(LongRepr()) == ObjectValue("LongRepr", "r" * 200)
    assert round_trip(BrokenRepr()) == ObjectValue("BrokenRepr", "<unprintable>")


class OnAnotherDevice(torch.Tensor):
    """A tensor that says it lives on a GPU (its values are kept aside on the CPU): only a copy
    to the CPU can read them."""

    @staticmethod
    def __new__(cls, values):
        t = torch.Tensor._make_wrapper_subclass(cls, values.shape, dtype=values.dtype, device="cuda")
        t.values = values
        return t

    @classmethod
    def __torch_dispatch__(cls, func, types, args=(), kwargs=None):
        if func is torch.ops.aten.detach.default:
            return cls(args[0].values)
        if func is torch.ops.aten._to_copy.default and (kwargs or {}).get("device") == torch.device("cpu"):
            return args[0].values.clone()
        raise NotImplementedError(f"{func} on a tensor that is not on the CPU")


def test_a_tensor_on_another_device_is_sent_with_its_device_and_values():
    got = round_trip(OnAnotherDevice(torch.arange(3.0)))
    assert got.device == "cuda" and got.device_type == "cuda" and torch.equal(got.data, torch.arange(3.0))


def test_each_tensor_s_bytes_follow_the_header_in_order_through_nested_containers():
    tensors = [torch.arange(3.0), torch.zeros(0), torch.tensor([True, False]), torch.arange(4, dtype=torch.int16)]
    got = round_trip([[tensors[0]], (tensors[1], {"z": [tensors[2]]}), tensors[3]])
    received = [got[0][0], got[1][0], got[1][1]["z"][0], got[2]]
    assert all(torch.equal(g.data, t) for g, t in zip(received, tensors))


def frame(header, tail=b"") -> bytes:
    """A frame as any writer may send it: a header (JSON of `header`, or raw bytes), then `tail`."""
    data = header if isinstance(header, bytes) else json.dumps(header).encode()
    return struct.pack(">I", len(data)) + data + tail


def seq(*items):
    return {"__seq__": "list", "items": list(items)}


def mapping(*pairs):
    return {"__dict__": [list(pair) for pair in pairs]}


def tensor(shape=(3,), buffer=None, **fields):
    """A tensor node: float64 on the CPU, its values not sent, unless told otherwise."""
    return {"__tensor__": True, "dtype": "float64", "shape": list(shape), "device": "cpu", "requires_grad": False,
            "buffer": buffer, **fields}


def refused(read, blob) -> str:
    """The sentence the student reads when `read(blob)` voids the run."""
    with pytest.raises(WireError) as caught:
        read(blob)
    return str(caught.value)


HEADER = "a frame header is too large or cut short"
NOT_JSON = "a frame header is not JSON, or is nested too deeply"
TOO_MANY = "the results are nested too deeply or hold too many values"
UNKNOWN = "unknown node"
KEY = "a mapping holds a malformed or repeated key"
DTYPE = "a tensor has a malformed dtype or device"
SHAPE = "a tensor has a malformed shape"
BYTES = "a tensor's byte count does not match its shape and dtype"
LONG = "a string is too long"

MALFORMED = {  # the channel's bytes, and the sentence that voids the run
    "cut length": (b"\x00\x00\x00", "a frame is cut short"),
    "a valid frame, then a cut length": (frame(0) + b"\x00", "a frame is cut short"),
    "a length with no header": (struct.pack(">I", 0), NOT_JSON),
    "header past the end": (struct.pack(">I", 50) + b"{}", HEADER),
    "length with the top bit set": (struct.pack(">I", 1 << 31) + b"0", HEADER),
    "not JSON": (frame(b"{nope"), NOT_JSON),
    "nested brackets": (frame(b"[" * 100_000 + b"]" * 100_000), NOT_JSON),
    "a list node": (frame([1, 2]), "unexpected list node"),
    "unknown node": (frame({"__what__": 1}), UNKNOWN),
    "seq without items": (frame({"__seq__": "list"}), UNKNOWN),
    "seq of an unknown kind": (frame({"__seq__": "set", "items": []}), UNKNOWN),
    "seq whose items are not a list": (frame({"__seq__": "list", "items": "ab"}), UNKNOWN),
    "object with an extra key": (frame({"__object__": "x", "repr": "y", "z": 1}), UNKNOWN),
    "object type not a string": (frame({"__object__": 1, "repr": "y"}), UNKNOWN),
    "object repr not a string": (frame({"__object__": "x", "repr": 2}), UNKNOWN),
    "tensor flag not true": (frame(tensor(__tensor__=1)), UNKNOWN),
    "tensor missing a key": (frame({k: v for k, v in tensor().items() if k != "device"}), UNKNOWN),
    "mapping not a list of pairs": (frame({"__dict__": {"a": 1}}), "a mapping node is not a list of pairs"),
    "repeated key": (frame(mapping(["a", 1], ["a", 2])), KEY),
    "key not a string": (frame(mapping([1, 2])), KEY),
    "pair of three": (frame(mapping(["a", 1, 2])), KEY),
    "empty pair": (frame(mapping([])), KEY),
    "pair not a list": (frame({"__dict__": [5]}), KEY),
    "dtype not an identifier": (frame(tensor(dtype="float64; rm -rf /")), DTYPE),
    "dtype not a string": (frame(tensor(dtype=5)), DTYPE),
    "device not a string": (frame(tensor(device=0)), DTYPE),
    "grad flag not a bool": (frame(tensor(requires_grad=1)), DTYPE),
    "shape not a list": (frame(tensor(shape="ab")), SHAPE),
    "negative dim": (frame(tensor([-1])), SHAPE),
    "float dim": (frame(tensor([2.0])), SHAPE),
    "bool dim": (frame(tensor([True])), SHAPE),
    "negative buffer": (frame(tensor([3], -24), bytes(24)), BYTES),
    "buffer of the wrong size": (frame(tensor([4], 12, dtype="float32"), bytes(12)), BYTES),
    "bool buffer": (frame(tensor([1], True), bytes(8)), BYTES),
    "float buffer": (frame(tensor([3], 24.0), bytes(24)), BYTES),
    "buffer for bfloat16": (frame(tensor([2], 4, dtype="bfloat16"), bytes(4)), BYTES),
    "buffer for a dtype never sent": (frame(tensor([1], 8, dtype="complex64"), bytes(8)), BYTES),
    "long key": (frame(mapping(["k" * (MAX_STRING + 1), 0])), LONG),
    "long object repr": (frame({"__object__": "x", "repr": "r" * (MAX_STRING + 1)}), LONG),
}


@pytest.mark.parametrize("blob, message", MALFORMED.values(), ids=MALFORMED.keys())
def test_every_malformed_channel_voids_the_run_with_its_sentence(blob, message):
    assert refused(decode_frames, blob) == message


BOUNDS = {  # the most a channel may hold and pass; one step more; the sentence that voids it
    "frames": (frame(0) * MAX_FRAMES, frame(0) * (MAX_FRAMES + 1), f"more than {MAX_FRAMES} frames"),
    "header bytes": (frame(b"0" + b" " * (MAX_HEADER - 1)), frame(b"0" + b" " * MAX_HEADER), HEADER),
    "header at the channel's end": (frame(seq(1, 2)), frame(seq(1, 2))[:-1], HEADER),
    "tensor bytes at the channel's end": (frame(tensor([3], 24), bytes(24)), frame(tensor([3], 24), bytes(23)),
                                          "a tensor's bytes run past the end of the channel"),
    "nodes": (frame(seq(*[0] * (MAX_NODES - 1))), frame(seq(*[0] * MAX_NODES)), TOO_MANY),
    "list depth": (frame(nest(seq, MAX_DEPTH)), frame(nest(seq, MAX_DEPTH + 1)), TOO_MANY),
    "mapping depth": (frame(nest(lambda v: mapping(["a", v]), MAX_DEPTH)),
                      frame(nest(lambda v: mapping(["a", v]), MAX_DEPTH + 1)), TOO_MANY),
    "string": (frame("s" * MAX_STRING), frame("s" * (MAX_STRING + 1)), LONG),
    "dims": (frame(tensor([1] * MAX_DIMS)), frame(tensor([1] * (MAX_DIMS + 1))), SHAPE),
    "dim": (frame(tensor([2**40 - 1])), frame(tensor([2**40])), SHAPE),
    "dtype name": (frame(tensor(dtype="f" * 32)), frame(tensor(dtype="f" * 33)), DTYPE),
    "device name": (frame(tensor(device="d" * 64)), frame(tensor(device="d" * 65)), DTYPE),
}


@pytest.mark.parametrize("largest, beyond, message", BOUNDS.values(), ids=BOUNDS.keys())
def test_each_limit_is_reached_but_not_passed(largest, beyond, message):
    assert decode_frames(largest)
    assert refused(decode_frames, beyond) == message


@pytest.mark.parametrize("nodes, read_at, late", [(4096, 105.0, False), (4096, 105.001, True), (4095, 105.001, False)])
def test_the_deadline_is_checked_on_every_4096th_node(monkeypatch, nodes, read_at, late):
    """The clock reads 100 s as the channel is opened (a 5 s deadline) and `read_at` from then on."""
    readings = iter([100.0])
    monkeypatch.setattr(wire, "time", SimpleNamespace(monotonic=lambda: next(readings, read_at)))
    blob = frame(seq(*[0] * (nodes - 1)))
    if late:
        assert refused(decode_frames, blob) == "the results took too long to read"
    else:
        assert decode_frames(blob) == [[0] * (nodes - 1)]


def observe(blob: bytes) -> Observations:
    obs = Observations()
    read_observations(blob, obs)
    return obs


ERROR = {"type": "ValueError", "message": "m", "frames": [{"line": 3, "function": "f", "code": "x = 1"}],
         "raised_by_student": True}
OUTPUTS = {"kind": "probe", "name": "p", "outputs": {}}
UNEXPECTED = "the channel held an unexpected or repeated frame"
MALFORMED_ERROR = "an error report is malformed"
POSITION = "an error report's position is malformed"


def failed(error):
    return {"kind": "probe", "name": "p", "error": error}


BAD_RUNS = {  # frames, each well formed on the wire, that no honest run sends; the sentence that voids the run
    "frame after done": ([{"kind": "done"}, OUTPUTS], "a frame follows the end of the run, or is not a record"),
    "frame not a record": ([[OUTPUTS]], "a frame follows the end of the run, or is not a record"),
    "probe twice": ([OUTPUTS, OUTPUTS], "a probe is unnamed or reported twice"),
    "unnamed probe": ([{**OUTPUTS, "name": 3}], "a probe is unnamed or reported twice"),
    "outputs not a record": ([{**OUTPUTS, "outputs": 5}], "a probe's outputs are not a record"),
    "probe with an extra field": ([{**OUTPUTS, "score": 10}], UNEXPECTED),
    "probe with outputs and an error": ([{**OUTPUTS, "error": ERROR}], UNEXPECTED),
    "error not a record": ([failed("boom")], MALFORMED_ERROR),
    "error missing a field": ([failed({"type": "X"})], MALFORMED_ERROR),
    "error flag not a bool": ([failed({**ERROR, "raised_by_student": "yes"})], MALFORMED_ERROR),
    "error frame not a record": ([failed({**ERROR, "frames": ["line 3"]})], "an error report's frames are malformed"),
    "error frame's line not an int": ([failed({**ERROR, "frames": [{**ERROR["frames"][0], "line": "3"}]})],
                                      "an error report's frames are malformed"),
    "error line not an int": ([failed({**ERROR, "line": "3"})], POSITION),
    "error offset not an int": ([failed({**ERROR, "offset": 1.5})], POSITION),
    "error code not a string": ([failed({**ERROR, "code": 5})], POSITION),
    "import error twice": ([{"kind": "import_error", "error": ERROR}] * 2, UNEXPECTED),
    "import error with an extra field": ([{"kind": "import_error", "error": ERROR, "name": "p"}], UNEXPECTED),
    "missing function not named": ([{"kind": "missing_function", "function": 5}], UNEXPECTED),
    "missing function with an extra field": ([{"kind": "missing_function", "function": "f", "name": "p"}],
                                             UNEXPECTED),
    "unknown kind": ([{"kind": "verdict"}], UNEXPECTED),
    "done with an extra field": ([{"kind": "done", "score": 10}], UNEXPECTED),
}


@pytest.mark.parametrize("frames, message", BAD_RUNS.values(), ids=BAD_RUNS.keys())
def test_every_malformed_run_voids_it_with_its_sentence(frames, message):
    assert refused(observe, b"".join(encode_frame(f) for f in frames)) == message


def test_a_well_formed_run_fills_the_observations():
    syntax = {**ERROR, "line": 2, "offset": 7, "code": "def f(:"}
    unplaced = {**ERROR, "line": None, "offset": None, "code": None}
    obs = observe(encode_frame({"kind": "probe", "name": "a", "outputs": {"z": torch.ones(2), "t": (1, "x")}})
                  + encode_frame({"kind": "probe", "name": "b", "error": syntax})
                  + encode_frame({"kind": "probe", "name": "c", "outputs": {"w": torch.arange(3)}})
                  + encode_frame({"kind": "probe", "name": "d", "error": unplaced}) + encode_frame({"kind": "done"}))
    assert obs.finished and list(obs.probes) == ["a", "b", "c", "d"]
    assert obs.probes["b"] == {"name": "b", "error": syntax} and obs.probes["d"] == {"name": "d", "error": unplaced}
    a, c = obs.probes["a"], obs.probes["c"]
    assert a["name"] == "a" and a["outputs"].keys() == {"z", "t"} and a["outputs"]["t"] == (1, "x")
    assert torch.equal(a["outputs"]["z"].data, torch.ones(2)) and torch.equal(c["outputs"]["w"].data, torch.arange(3))
    assert c["name"] == "c"
    assert obs.import_error is None and obs.missing_function is None


def test_an_import_error_or_a_missing_function_is_recorded():
    obs = observe(encode_frame({"kind": "import_error", "error": ERROR}) + encode_frame({"kind": "done"}))
    assert obs.import_error == ERROR and obs.finished and not obs.probes
    obs = observe(encode_frame({"kind": "missing_function", "function": "vae_kl_loss"}))
    assert obs.missing_function == "vae_kl_loss" and not obs.finished


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


PLAIN = (st.none() | st.booleans() | st.integers(-(2**63) + 1, 2**63 - 1) | st.floats(allow_nan=False)
         | st.text(max_size=12))
TENSORS = st.builds(lambda values, dtype: torch.tensor(values, dtype=dtype),
                    st.lists(st.integers(-100, 100), max_size=6), st.sampled_from(SENT))
VALUES = st.recursive(PLAIN | TENSORS, lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
                      | st.dictionaries(st.text(max_size=6), inner, max_size=4), max_leaves=20)


def same(sent, got) -> bool:
    """What the grader reads is what the sandbox sent: kinds kept, tensors bit for bit."""
    if isinstance(sent, torch.Tensor):
        return (isinstance(got, TensorValue) and got.dtype == str(sent.dtype)[6:] and got.shape == tuple(sent.shape)
                and got.data.dtype == sent.dtype and torch.equal(got.data, sent))
    if isinstance(sent, (list, tuple)):
        return type(got) is type(sent) and len(got) == len(sent) and all(map(same, sent, got))
    if isinstance(sent, dict):
        return isinstance(got, dict) and list(got) == list(sent) and all(same(v, got[k]) for k, v in sent.items())
    return type(got) is type(sent) and got == sent


@given(st.lists(VALUES, min_size=1, max_size=4))
def test_fuzz_valid_frames_decode_to_what_was_encoded(values):
    """Valid frames, encoded by grader.sandbox.frames, decode to the values sent, whatever they hold."""
    blob = b"".join(encode_frame({"value": v}) for v in values)
    decoded = decode_frames(blob)
    assert len(decoded) == len(values) and all(same(v, frame["value"]) for v, frame in zip(values, decoded))
    assert not same([1], (1,)) and not same({"a": 1}, {"a": True}) and not same(torch.ones(2), TensorValue(
        torch.ones(2, dtype=torch.float64), "float64", (2,), "cpu", False))
