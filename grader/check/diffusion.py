"""Verdicts the diffusion suites (c12-c16) share, on the grader's side: how a recording eps
model was called, where its t lived, and whether noise recovered from a sampler's output is a
fresh standard normal that follows torch.manual_seed (grader.check.stats bounds each test)."""

from __future__ import annotations

from typing import Any

import torch

from grader.check import expect, stats
from grader.check.expect import mistake
from grader.check.wire import TensorValue
from grader.sandbox.diffusion_probes import BETAS, inputs


def model_call_verdict(entry: dict[str, Any], x_t: torch.Tensor, t: int, what: str) -> None:
    """The model was called once, on x_t itself, with t as a LongTensor (B,) holding t."""
    b = x_t.shape[0]
    if entry["calls"] != 1:
        mistake(None, f"for {what} eps_model was called {entry['calls']} times; call it once, on the batch")
    x_in, t_in = (list(entry["seen"][0]["args"]) + [None, None])[:2]
    if not (isinstance(x_in, TensorValue) and x_in.data is not None and torch.equal(x_in.data, x_t)):
        mistake(None, f"for {what} eps_model was not called on x_t itself (it got {expect.kind_of(x_in)})")
    single = () if b == 1 else ((), (1,))
    if isinstance(t_in, int) or (isinstance(t_in, TensorValue) and t_in.shape in single):
        mistake("model-t-not-batched", f"for {what} eps_model got t = {expect.kind_of(t_in)}; it takes a LongTensor "
                f"of shape ({b},), one step per sample: torch.full((B,), t, dtype=torch.long, device=x_t.device)")
    if not (isinstance(t_in, TensorValue) and t_in.dtype == "int64" and t_in.shape == (b,)
            and t_in.data is not None and bool((t_in.data == t).all())):
        mistake(None, f"for {what} eps_model got t = {expect.kind_of(t_in)}; expected a LongTensor of shape "
                f"({b},) holding {t} in every entry")


def recorded_step_verdict(entry: dict[str, Any], shape, dtype, t: int, seed: int, what: str) -> None:
    """One step of a sampler probed by grader.sandbox.diffusion_probes.recorded_step: it returned,
    left x_t, the schedule and the noise as they were (redrawn here from the seed), and called the
    model once on x_t with t per sample."""
    expect.returned(entry)
    x_t, z = inputs(shape, dtype, seed)
    for name, before, after in zip(("x_t", "noise_schedule", "noise"), (x_t, BETAS.to(dtype), z), entry["after"]):
        expect.unchanged(before, after, name)
    model_call_verdict(entry, x_t, t, what)


def t_device_verdict(device: dict[str, Any], what: str, like: str, returns_tensors: bool = True) -> None:
    """The result is on the inputs' device (expect.device_verdict), and so is the t given to the model."""
    expect.device_verdict(device, what, returns_tensors=returns_tensors)
    ts = [t for t in device.get("seen_t", []) if isinstance(t, TensorValue)]
    if ts and ts[0].device_type != "meta":
        mistake("hard-coded-device", f"the t passed to eps_model lives on {ts[0].device}, not on {like}'s device: "
                f"create it with device={like}.device")


def seeded_runs_verdict(runs: dict[str, Any], shape: tuple[int, ...], what: str, fixed: str | None = None) -> None:
    """Under torch.manual_seed (probing.under_seeds): the same seed repeats the draw, another changes it;
    `fixed` names the mistake of a draw that never changes (a constant seed inside the function)."""
    runs = {k: expect.reading(expect.returned(v), shape) for k, v in runs.items()}
    if any(v is None for v in runs.values()):
        expect.not_judged(f"{what} under torch.manual_seed cannot be read (see the public check)")
    if not torch.equal(runs["first"], runs["again"]):
        mistake(None, f"after the same torch.manual_seed two calls gave different {what}: draw with torch's global "
                "generator (torch.randn_like, torch.randint), so a seeded run can be repeated")
    if torch.equal(runs["first"], runs["other"]):
        mistake(fixed, f"after two different torch.manual_seed calls your function gave the same {what}: it seeds a "
                "generator of its own with a constant")


def fresh_noise_failure(first: torch.Tensor, second: torch.Tensor) -> str | None:
    """What shows that noise recovered from two calls is not a fresh N(0, 1), or None."""
    ok, distance, limit = stats.looks_standard_normal(first)
    return ((not ok and f"mean {float(first.mean()):.3f}, std {float(first.std()):.3f} (KS distance {distance:.3f} > "
             f"{limit:.3f})") or stats.tails_mismatch(first) or
            (stats.too_many_repeats(first) and "values of one draw repeat") or
            (stats.too_many_shared(first, second) and "a second call repeats the first call's values") or
            (stats.has_constant_column(first) and "every sample of the batch got the same noise") or
            (stats.serial_correlation(first) and "the values are correlated with their neighbours") or None)
