"""Hidden checks of exercise c22, pixelcnn_mask(kernel_size, mask_type).

A mask is judged by what it does, not entry by entry: the grader builds a k x k convolution
whose weights are the student's mask times positive random numbers, moves each pixel of a
k x k input in turn, and reads which of them change the output at the centre. Those must be
exactly the pixels before the centre in raster order (type "A"), and the centre too (type
"B"): an order computed from pixel indices, independent of any mask construction. When a
mask is wrong, known wrong constructions are built for the same sizes, and a mistake is
named only when it explains the student's A and B masks at every size tested. The public
check owns the result's type, dtype and 0/1 values; the others read any (k, k) tensor.
"""

from __future__ import annotations

import re
from dataclasses import replace

import pytest
import torch
import torch.nn.functional as F

from grader.check import expect
from grader.check.expect import NotJudged, StudentRaised, mistake
from grader.check.wire import TensorValue

from .probes import BAD_KINDS, KINDS, even_size, sizes

F64 = torch.float64


def visible(k: int, kind: str) -> torch.Tensor:
    """The pixels a causal k x k convolution may read at the centre: those before it in raster
    order, and for type B the centre itself (0/1, float64)."""
    order = torch.arange(k * k).reshape(k, k)
    centre = (k // 2) * k + k // 2
    return ((order < centre) | ((order == centre) & (kind == "B"))).to(F64)


def influence(mask: torch.Tensor) -> torch.Tensor:
    """Which input pixels move the centre output of a convolution weighted by `mask` (0/1)."""
    k = mask.shape[0]
    weight = mask * (0.5 + torch.rand(k, k, generator=torch.Generator().manual_seed(k), dtype=F64))
    bumps = torch.eye(k * k, dtype=F64).reshape(k * k, 1, k, k)  # one moved pixel per input
    centre = F.conv2d(bumps, weight.reshape(1, 1, k, k), padding=k // 2)[:, 0, k // 2, k // 2]
    return (centre != 0).reshape(k, k).to(F64)


def wrong_masks(k: int) -> dict[str, tuple[torch.Tensor, ...]]:
    """What each known wrong construction gives at size k, as (A mask, B mask) stacked."""
    c = k // 2

    def each(build):
        return torch.stack([build(kind) for kind in KINDS])

    def edited(kind, rows, cols):
        m = visible(k, kind)
        m[rows, cols] = 1
        return m

    return {
        "types-swapped": (each(lambda kind: visible(k, "B" if kind == "A" else "A")),),
        "type-ignored": (each(lambda kind: visible(k, "A")), each(lambda kind: visible(k, "B"))),
        "centre-row-open-right": (each(lambda kind: edited(kind, c, slice(c + 1, None))),),
        "rows-below-open": (each(lambda kind: edited(kind, slice(c + 1, None), slice(None))),),
        "transposed": (each(lambda kind: visible(k, kind).T),),
        "flipped": (each(lambda kind: visible(k, kind).flip(0, 1)),),
    }


def mask_values(entry: dict, k: int) -> torch.Tensor:
    """The values of a returned mask read as (k, k) (booleans and integers as numbers)."""
    value = expect.returned(entry)
    if isinstance(value, TensorValue) and value.data is not None and value.data.dtype == torch.bool:
        value = replace(value, data=value.data.to(F64))
    return expect.judgeable(value, f"a ({k}, {k}) tensor", shape=(k, k))


def offsets(where: torch.Tensor, k: int) -> str:
    """Positions as (row, column) offsets from the centre: '(-1, +0), (+0, +2)'."""
    cells = [(int(i) - k // 2, int(j) - k // 2) for i, j in where.nonzero()]
    shown = ", ".join(f"({di:+d}, {dj:+d})" for di, dj in cells[:5])
    return shown + (f" and {len(cells) - 5} more" if len(cells) > 5 else "")


def what_is_wrong(seen: torch.Tensor, k: int, kind: str) -> str:
    want = visible(k, kind)
    extra, missing = (seen > want), (seen < want)
    parts = []
    if extra.any():
        parts.append(f"depends on pixels it must not see: {offsets(extra, k)}")
    if missing.any():
        parts.append(f"ignores pixels it should see: {offsets(missing, k)}")
    return (f"with your type '{kind}' mask for kernel_size {k}, the centre output of a masked convolution "
            + "; and ".join(parts) + " (offsets (row, column) from the centre; raster order reads rows top to "
            "bottom, each left to right)")


def read_pairs(probes: list[tuple[int, dict]]) -> list[tuple[int, torch.Tensor]]:
    """(k, stacked influence of the A and B masks) for each size whose two masks can be read."""
    read = []
    for k, pair in probes:
        try:
            read.append((k, torch.stack([influence(mask_values(pair[kind], k)) for kind in KINDS])))
        except (StudentRaised, NotJudged):
            continue
    return read


def judge(kind: str, judged: list[tuple[int, dict]], evidence: list[tuple[int, dict]]) -> None:
    """Fail on the first size whose `kind` mask lets the wrong pixels through; name the mistake
    that explains both masks at every size judged or given as evidence."""
    wrong = []
    for k, pair in judged:
        seen = influence(mask_values(pair[kind], k))
        if not torch.equal(seen, visible(k, kind)):
            wrong.append((k, seen))
    if not wrong:
        return
    cases = [(seen, wrong_masks(k)) for k, seen in read_pairs(judged + evidence)
             if not torch.equal(seen, torch.stack([visible(k, t) for t in KINDS]))]
    k, seen = wrong[0]
    mistake(expect.explained_by(cases, rtol=0, atol=0.5), what_is_wrong(seen, k, kind))


def all_sizes(kernel_3, kernel_1, larger, seed) -> list[tuple[int, dict]]:
    return [(3, kernel_3), (1, kernel_1)] + [(k, larger[f"k{k}"]) for k in sizes(seed)]


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_float32_mask_of_zeros_and_ones(kernel_3):
    """returns a (k, k) float32 tensor of 0s and 1s"""
    for kind in KINDS:
        value, what = expect.returned(kernel_3[kind]), f"pixelcnn_mask(3, '{kind}')"
        if value is None:
            mistake("no-return", f"{what} returned None: end your function with `return mask`")
        if isinstance(value, TensorValue) and value.dtype != "float32" and value.shape == (3, 3):
            mistake("not-float32", f"{what} returned a {value.dtype} tensor; the mask must be float32 (it "
                    "multiplies a convolution's float32 weights): create it with dtype=torch.float32 or call .float()")
        mask = expect.tensor(value, what, shape=(3, 3), dtype="float32")
        if not bool(((mask == 0) | (mask == 1)).all()):
            mistake(None, f"{what} holds values other than 0 and 1: {expect.preview(mask, 9)}")


@pytest.mark.public
@pytest.mark.points(1)
def test_kernel_3_masks(kernel_3, kernel_1, larger, seed):
    """for kernel_size 3: type A sees the 4 pixels before the centre, type B the centre too"""
    for kind in KINDS:
        judge(kind, [(3, kernel_3)], all_sizes(kernel_3, kernel_1, larger, seed))


@pytest.mark.points(2)
def test_type_a_is_causal(kernel_3, kernel_1, larger, seed):
    """type A, larger kernels: the centre output depends exactly on the pixels before the centre"""
    judge("A", [(k, larger[f"k{k}"]) for k in sizes(seed)], all_sizes(kernel_3, kernel_1, larger, seed))


@pytest.mark.points(2)
def test_type_b_is_causal(kernel_3, kernel_1, larger, seed):
    """type B, larger kernels: the centre output depends on the pixels before the centre and the centre itself"""
    judge("B", [(k, larger[f"k{k}"]) for k in sizes(seed)], all_sizes(kernel_3, kernel_1, larger, seed))


@pytest.mark.points(1)
def test_kernel_1(kernel_3, kernel_1, larger, seed):
    """kernel_size 1: [[0]] for type A, [[1]] for type B"""
    for kind in KINDS:
        judge(kind, [(1, kernel_1)], all_sizes(kernel_3, kernel_1, larger, seed))


def refused(entry: dict, call: str) -> None:
    """Fail unless the call raised a ValueError."""
    if "error" not in entry:
        return None
    error = entry["error"]
    if entry.get("value_error"):
        return None
    if error.get("type") == "AssertionError":
        mistake("assert-not-value-error", f"{call} raised AssertionError (an assert statement): raise "
                "ValueError instead; asserts vanish under python -O and callers catch ValueError for bad arguments")
    mistake(None, f"{call} raised {error.get('type')}: {str(error.get('message'))[:200]}; expected a ValueError")


@pytest.mark.points(1)
def test_even_kernel_size_raises_value_error(refusals, seed):
    """an even kernel_size raises ValueError"""
    k = even_size(seed)
    for kind in KINDS:
        entry, call = refusals[f"even_{kind}"], f"pixelcnn_mask({k}, '{kind}')"
        if "error" not in entry:
            mistake("even-k-accepted", f"{call} returned {expect.kind_of(entry.get('result'))} instead of raising "
                    "ValueError: an even kernel has no centre pixel, so no causal mask")
        refused(entry, call)


WHY_REFUSED = {"AB": "check `mask_type in (\"A\", \"B\")` (a tuple: `in \"AB\"` also accepts \"AB\" and \"\")",
               "a": "mask types are \"A\" and \"B\" exactly: compare mask_type as given, without .upper()"}


@pytest.mark.points(1)
def test_other_mask_type_raises_value_error(refusals):
    """a mask_type other than "A" and "B" raises ValueError"""
    for kind in BAD_KINDS:
        entry, call = refusals[f"type_{kind}"], f"pixelcnn_mask(5, {kind!r})"
        if "error" not in entry:
            mistake("type-not-checked", f"{call} returned {expect.kind_of(entry.get('result'))} instead of raising "
                    "ValueError: " + WHY_REFUSED.get(kind, "check `mask_type in (\"A\", \"B\")`"))
        refused(entry, call)


def names_size(message: str, k: int) -> bool:
    return bool(re.search(rf"\b{k}\b|kernel|odd|even|size", message, re.IGNORECASE))


def names_type(message: str, kind: str) -> bool:
    both = re.search(r"\bA\b", message) and re.search(r"\bB\b", message)
    return bool(re.search(rf"type|\b{kind}\b", message, re.IGNORECASE) or both)


@pytest.mark.points(1)
def test_error_messages_say_what_is_wrong(refusals, seed):
    """the error's message names what is wrong: the kernel size, or the mask type"""
    k = even_size(seed)
    calls = [(f"even_{kind}", f"pixelcnn_mask({k}, '{kind}')", lambda m: names_size(m, k)) for kind in KINDS]
    calls += [(f"type_{kind}", f"pixelcnn_mask(5, {kind!r})", lambda m, kind=kind: names_type(m, kind))
              for kind in BAD_KINDS]
    for key, call, named in calls:
        if "error" not in refusals[key]:
            expect.not_judged(f"{call} raised nothing (see the checks of the refusals), so there is no message to read")
        message = str(refusals[key]["error"].get("message", ""))
        if not named(message):
            what = "the kernel size (say it must be odd)" if key.startswith("even") else "the mask type ('A' or 'B')"
            mistake("vague-error", f"{call} raised with the message {message[:120]!r}, which does not name "
                    f"{what}: say what is wrong and what is accepted, e.g. \"kernel_size must be odd, got {k}\"")
