"""How much a class's papers overlap: identical questions per pair of papers, shared NAT keys.

`gengrade exam` reports it so that an instructor sees, before printing, what neighbours could
copy. Two questions are identical when they have the same problem and the same parameters
(the option order aside). Students share a NAT key when they have the same problem and would
write the same answer at the asked precision (grader.bank.variety.written), whatever the
parameters.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from grader.bank.variety import shown, written

IDENTICAL = 0.2  # warn when two papers share more than this fraction of their questions on average
KEY_CLASS = 0.25  # warn when one NAT key belongs to more than this fraction of the class (and 3+ students)


@dataclass(frozen=True)
class Overlap:
    papers: int
    questions: int  # on the longest paper
    mean_identical: float  # identical questions shared by two papers, averaged over every pair
    max_identical: int  # the most any two papers share
    key_sharing: dict[int, int]  # k -> how many NAT keys exactly k students share (k >= 2)
    widest: tuple[str, str, int] | None  # (problem id, written answer, students) of the most shared key
    warnings: tuple[str, ...]

    def lines(self) -> list[str]:
        """The report as the command prints it."""
        pairs = (f"Overlap: two papers share {self.mean_identical:.2f} of {self.questions} questions on average "
                 f"(at most {self.max_identical}); identical means same problem, same parameters.")
        keys = "NAT keys: no two students share one."
        if self.widest:
            counts = ", ".join(f"{n} by {k}" for k, n in sorted(self.key_sharing.items()))
            pid, answer, k = self.widest
            keys = (f"NAT keys shared (same problem, same answer at the asked precision): {counts} students; "
                    f"most: {pid} = {answer} ({k} students).")
        return [pairs, keys] + [f"warning: {w}" for w in self.warnings]


def measure(records: list[dict]) -> Overlap:
    """The overlap of a class's papers, from their manifest records."""
    questions = max((len(r["questions"]) for r in records), default=0)
    mean, most = _identical(records)
    keys = Counter()
    for record in records:
        for q in record["questions"]:
            if q["type"] == "nat":
                keys[q["problem_id"], shown(written(q["answer"], *q["interval"]))] += 1
    shared = {key: k for key, k in keys.items() if k > 1}
    widest = max(shared.items(), key=lambda item: (item[1], item[0]), default=None)
    warnings = []
    if mean > IDENTICAL * questions:
        warnings.append(f"two papers share {mean:.1f} of {questions} questions on average, more than "
                        f"{IDENTICAL:.0%}: widen the sections' pools or draw per student (no same_for_class)")
    if widest and widest[1] >= 3 and widest[1] > KEY_CLASS * len(records):
        warnings.append(f"{widest[1]} of {len(records)} students share the key of {widest[0][0]} "
                        f"({widest[0][1]}): their neighbours can copy it")
    return Overlap(len(records), questions, mean, most, dict(sorted(Counter(shared.values()).items())),
                   (*widest[0], widest[1]) if widest else None, tuple(warnings))


def _identical(records: list[dict]) -> tuple[float, int]:
    """(mean, max) over pairs of papers of the questions they share, same problem and parameters."""
    n = len(records)
    if n < 2:
        return 0.0, 0
    holders = defaultdict(list)
    for index, record in enumerate(records):
        for q in record["questions"]:
            holders[q["problem_id"], json.dumps(q["params"], sort_keys=True)].append(index)
    counts = np.zeros((n, n), dtype=np.int32)
    for members in holders.values():
        if len(members) > 1:
            rows = np.array(members)
            counts[np.ix_(rows, rows)] += 1
    np.fill_diagonal(counts, 0)
    return float(counts.sum()) / (n * (n - 1)), int(counts.max())
