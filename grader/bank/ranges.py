"""What a NAT range may hold: only values the question allows, at the precision the stem asks.

A problem declares the domain its key lives in (`domain: probability`, or a list such as
`[positive, probability]`). The accepted range is cut at the domain's closed ends (a
probability's range stops at 0 and at 1). An open end cannot be cut honestly, so `bank
validate` refuses a range that reaches it (0 for a positive key), and a range that holds a
second whole number when the key is one; it also refuses a rounding asked by the stem that is
coarser than the tolerance (or that the range refuses for the key itself), where an honest
rounding of an accepted value would be refused.
"""

from __future__ import annotations

import math
import re

# name -> (lowest, highest, lowest excluded, highest excluded); "integer" is checked apart
DOMAINS = {"probability": (0.0, 1.0, False, False), "positive": (0.0, math.inf, True, True),
           "nonnegative": (0.0, math.inf, False, True), "negative": (-math.inf, 0.0, True, True),
           "integer": (-math.inf, math.inf, True, True)}
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}
ASKED = re.compile(r"\bto (\w+) (decimal places|decimals|significant figures)\b")


def clip(interval: tuple[float, float], domain: tuple[str, ...]) -> tuple[float, float]:
    """The range cut at the domain's closed ends (its open ends are for `faults` to report)."""
    lo, hi = interval
    for name in domain:
        low, high, low_open, high_open = DOMAINS[name]
        lo = max(lo, low) if not low_open else lo
        hi = min(hi, high) if not high_open else hi
    return lo, hi


def domain_faults(key: float, interval: tuple[float, float], domain: tuple[str, ...]) -> list[str]:
    """What the range (or the key itself) holds that the domain rules out."""
    lo, hi = interval
    faults = []
    for name in domain:
        low, high, low_open, high_open = DOMAINS[name]
        if name == "integer":
            others = [n for n in range(math.ceil(lo), math.floor(hi) + 1) if n != key]
            if key != round(key) or others:
                faults.append(f"the key {key:.6g} and the range [{lo:.6g}, {hi:.6g}] must hold one whole number "
                              f"(domain: integer); make the range exact: {{range: [key, key]}}")
        elif not (low < key < high or (key == low and not low_open) or (key == high and not high_open)):
            faults.append(f"the key {key:.6g} is outside its domain ({name})")
        elif (low_open and lo <= low) or (high_open and hi >= high):
            end = low if low_open and lo <= low else high
            faults.append(f"the range [{lo:.6g}, {hi:.6g}] reaches {end:g}, which a {name} key rules out; "
                          "ask for significant figures with a relative tolerance")
    return faults


def precision_faults(stem: str, key: float, interval: tuple[float, float]) -> list[str]:
    """The rounding the stem asks for ("to two decimals", "to 3 significant figures") must be accepted,
    and no coarser than the tolerance unless every accepted value rounds into the range (a key on
    the rounding grid): else an honest rounding of an accepted value fails."""
    asked = ASKED.search(stem)
    if not asked or not key:
        return []
    word = asked.group(1)
    count = WORDS.get(word, int(word) if word.isdigit() else None)
    if count is None:
        return []
    if asked.group(2) == "significant figures":
        count -= math.floor(math.log10(abs(key))) + 1
    step, (lo, hi) = 10.0 ** -count, interval
    rounded = round(key, count)
    if not lo <= rounded <= hi:
        return [f"the key rounded as the stem asks ({asked.group(0)}), {rounded:.6g}, is outside the range "
                f"[{lo:.6g}, {hi:.6g}]"]
    inside = (lo + (hi - lo) * 1e-9, hi - (hi - lo) * 1e-9)  # roundings grow with the value: its ends decide
    kept = all(lo - 1e-12 <= round(v, count) <= hi + 1e-12 for v in inside)
    tolerance = max(key - lo, hi - key)  # a range cut at a domain's end keeps the tolerance on its other side
    if step > tolerance * (1 + 1e-9) and not kept:
        return [f"the stem asks for steps of {step:g} ({asked.group(0)}), coarser than the tolerance of the range "
                f"[{lo:.6g}, {hi:.6g}]: the rounding of an accepted value may be refused; ask for more figures"]
    return []
