"""Calibrate c17's limits: run its training probe in this process (no sandbox, one thread) on
the reference, the correct variants and the mutants, over many seeds, and print each metric
the hidden checks judge (held-out noise error, the errors a mistake would explain, the sample
distance, the loss decrease) with its limit and the margin of the worst correct run.
Usage: python scripts/calibrate_c17.py [--seeds 10] [FILE ...] (default: the reference and the catalog)"""

from __future__ import annotations

import argparse
import importlib.util
from pathlib import Path

import torch

from solutions.c17 import probes, test_c17 as checks

ROOT = Path(__file__).resolve().parents[1]


def load(path: Path):
    spec = importlib.util.spec_from_file_location(f"candidate_{path.stem}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.train_ddpm


def metrics(train_ddpm, seed: int) -> dict[str, float]:
    out = probes.train(train_ddpm, seed)
    if not isinstance(out.get("result"), (list, tuple)):
        return {}
    losses = torch.tensor([float(v) for v in out["result"]], dtype=torch.float64)
    first, last = checks.tenths(losses)
    found = checks.held_out_errors(out["pred"].double(), out["pred_alpha"].double(), seed)
    return {**found, "distance": checks.sample_distance(out["samples"], seed), "decrease": last / first}


LIMITS = {"error": checks.EPS_LIMIT, "distance": checks.DISTANCE_LIMIT, "decrease": checks.DECREASE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--seeds", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(1)
    catalog = ROOT / "tests" / "catalog" / "c17"
    files = args.files or [ROOT / "solutions" / "c17" / "train.py", *sorted(catalog.glob("*/*.py"))]
    for path in files:
        runs = [metrics(load(path), seed) for seed in range(1000, 1000 + args.seeds)]
        runs = [r for r in runs if r]
        if not runs:
            print(f"{path.parent.name}/{path.stem}: returned no losses")
            continue
        cells = [f"{key} {min(r[key] for r in runs):.3f}..{max(r[key] for r in runs):.3f}" for key in runs[0]]
        margins = [f"{key} x{min(limit / r[key] for r in runs):.2f}" for key, limit in LIMITS.items()]
        print(f"{path.parent.name}/{path.stem}: " + ", ".join(cells) + "; margin (limit / worst): " + ", ".join(margins))


if __name__ == "__main__":
    main()
