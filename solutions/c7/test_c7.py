"""Hidden checks of exercise c7, dae_loss(autoencoder, x, noise_std).

The noise is random, so nothing compares the loss with one seed's number. The autoencoder the
probes hand over records the batch it is called on; from it the grader recovers
eps = (x_noisy - x) / noise_std and recomputes the loss at that x_noisy with the same network
rebuilt here (float64): the value must be mean((autoencoder(x_noisy) - x)^2) against the CLEAN x,
and the gradients of the autoencoder's parameters must be its exact gradients. eps is tested as a
distribution on a 2000 x 4 batch (grader.check.stats, each test <= 1e-8 false failures, 15 tests
at most): N(0, 1) by a KS distance and its tail masses beyond 2 and 3 sigma; independence across
the batch and the dims (correlations of neighbouring rows and columns) and serial structure;
no values shared between two calls, no correlation between them, and noise that follows the
global seed (same seed, same noise; another seed, other noise). The probes seed numpy's and
Python's global generators along with torch's, as in c1-c6, so noise drawn from them passes; a
generator of one's own does not. A noisy batch cut to a range (clamp(x + noise, 0, 1)) piles up
exactly at its ends, which x + noise_std * eps never does (the repeats bound, <= 1e-8): that is
named first, and the clipped elements, equal in both calls, are left out of the sharing test.
Points that rest on the recording made in the student's process: the value (2), the parameters'
gradients (1, checked against the recorded batch), the noise's three checks (3) and the single
call (1).
"""

from __future__ import annotations

import math

import pytest
import torch

from grader.check import expect, stats
from grader.check.expect import Mistake, mistake

from .probes import F64, Case, TanhAutoencoder, cases, make_x, sample_case

TOL = {"rtol": 1e-4, "atol": 1e-7}


def network(case: Case) -> TanhAutoencoder:
    """The case's autoencoder with exactly the student's weights, in float64."""
    return TanhAutoencoder(int(torch.Size(case.shape[1:]).numel()), case.seed, case.dtype).to(F64)


def loss_of(entry: dict) -> torch.Tensor:
    return expect.judgeable(expect.returned(entry), "one number (a 0-dim tensor)", shape=())


def noisy_batch(entry: dict, case: Case, owner: bool = False) -> torch.Tensor:
    """The batch the autoencoder saw (float64), once it was called once on a batch shaped like x."""
    record = entry["record"]
    shapes = [list(s["args"][0].shape) if s["args"] and hasattr(s["args"][0], "shape") else None for s in record["seen"]]
    if record["calls"] == 1 and shapes[0] == list(case.shape) and record["seen"][0]["args"][0].data is not None:
        return record["seen"][0]["args"][0].data.to(F64)
    if owner:
        mistake(None, f"for {case.describe()} your autoencoder was called {record['calls']} time(s), on batches of "
                f"shapes {shapes}: call it once, on the noisy batch shaped like x")
    expect.not_judged("the batch your autoencoder saw cannot be read (see the check of the call)")


def known(case: Case, x_noisy: torch.Tensor) -> dict:
    x = make_x(case).to(F64)
    out = network(case)(x_noisy)
    squared = (out - x) ** 2
    return {"noisy-target": ((out - x_noisy) ** 2).mean(), "sum-not-mean": squared.sum(),
            "sum-over-dims": squared.flatten(1).sum(1).mean()}


# --- the public checks ----------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_scalar_of_x_dtype(basic, seed):
    """returns a finite 0-dim tensor in x's dtype ((B, D) and image-shaped x, batch 1, float32 and float64)"""
    for i, case in enumerate(cases(seed)):
        expect.finite_number(expect.returned(basic[f"case{i}"]), f"the loss for {case.describe()}", str(case.dtype)[6:])


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_x_unchanged(basic, seed):
    """leaves x unchanged"""
    for i, case in enumerate(cases(seed)):
        loss_of(basic[f"case{i}"])  # no points for code that returns nothing
        expect.unchanged(make_x(case), basic[f"case{i}"]["x_after"], "x")


# --- the call and the loss -------------------------------------------------------------------

@pytest.mark.points(1)
def test_autoencoder_called_once_on_a_noisy_batch(basic, seed):
    """the autoencoder is called once, on x + noise (not on the clean x)"""
    for i, case in enumerate(cases(seed)):
        x_noisy = noisy_batch(basic[f"case{i}"], case, owner=True)
        if torch.equal(x_noisy, make_x(case).to(F64)):
            mistake("clean-input", f"for {case.describe()} your autoencoder was called on the clean x itself: "
                    "corrupt it first, x_noisy = x + noise_std * torch.randn_like(x)")


@pytest.mark.points(2)
def test_loss_at_the_noisy_batch(basic, seed):
    """the loss is mean((autoencoder(x_noisy) - x)^2) at the x_noisy your code used, against the clean x"""
    wrong = []
    for i, case in enumerate(cases(seed)):
        got, x_noisy = loss_of(basic[f"case{i}"]), noisy_batch(basic[f"case{i}"], case)
        want = ((network(case)(x_noisy) - make_x(case).to(F64)) ** 2).mean().detach()
        if not expect.close(got, want, **TOL):
            wrong.append((got, {k: v.detach() for k, v in known(case, x_noisy).items()},
                          f"the loss for {case.describe()}: got {float(got):.6g}, expected {float(want):.6g} at the "
                          "noisy batch your autoencoder saw"))
    if wrong:
        mistake(expect.explained_by([(g, c) for g, c, _ in wrong]), wrong[0][2])


@pytest.mark.points(1)
def test_gradients_reach_the_autoencoder(basic, seed):
    """backpropagating the loss gives the autoencoder's parameters their exact gradients"""
    for i, case in enumerate(cases(seed)):
        entry = basic[f"case{i}"]
        loss_of(entry)
        grads = entry.get("grads")
        if isinstance(grads, str):
            mistake(None, f"backpropagating your loss failed: {grads}")
        if grads is None or all(g is None for g in grads):
            mistake("detached", "no gradient reaches the autoencoder's parameters: the loss must stay a tensor "
                    "computed with torch operations (no .item(), float(), numpy or .detach())")
        net, x_noisy = network(case), noisy_batch(entry, case)
        want = torch.autograd.grad(((net(x_noisy) - make_x(case).to(F64)) ** 2).mean(), list(net.parameters()))
        for (name, _), g, w in zip(net.named_parameters(), grads, want):
            g = torch.zeros_like(w) if g is None or g.data is None else g.data.to(F64)
            if not expect.close(g, w, rtol=1e-4, atol=1e-6 * float(w.abs().max())):
                mistake(None, f"for {case.describe()}, d loss / d {name}: {expect.differ(g, w)}")


# --- the noise as a distribution ------------------------------------------------------------

def recovered_eps(entry: dict, seed: int) -> torch.Tensor:
    case = sample_case(seed)
    loss_of(entry)
    return (noisy_batch(entry, case) - make_x(case).to(F64)) / case.noise_std


def shared(eps: torch.Tensor) -> bool:
    """One draw of noise for the whole batch: every row of eps alike (to rounding)."""
    return bool(torch.allclose(eps[0], eps[1], atol=1e-9) and torch.allclose(eps[0], eps[-1], atol=1e-9))


def require_own_noise(eps: torch.Tensor) -> None:
    if eps.abs().max() == 0:
        expect.not_judged("no noise was added (see the check of its distribution)")
    if shared(eps):
        expect.not_judged("one draw of noise serves the whole batch (the independence check names it), so its "
                          "distribution cannot be tested")


def scale_mistake(eps: torch.Tensor) -> Mistake | None:
    """Name noise scaled by noise_std^2 or sqrt(noise_std), or uniform noise, from eps's spread."""
    std, s = float(eps.std()), sample_case(0).noise_std
    for name, wrong in (("std-as-variance", s), ("std-as-variance", s ** -0.5)):
        if abs(std / wrong - 1) < 0.05:
            return Mistake(name, f"the noise has standard deviation {std * s:.3f} for noise_std = {s:g}: it was "
                           f"scaled by noise_std^2 or sqrt(noise_std), not by noise_std")
    if eps.min() >= -1e-9 and eps.max() <= 1 / s + 1e-9:
        return Mistake("uniform-noise", "the noise lies in [0, noise_std]: it is uniform (torch.rand), not normal")
    return None


def clip_ends(x_noisy: torch.Tensor) -> dict[float, int]:
    """{value: count} of the smallest and largest values of the noisy batch that repeat exactly,
    when they repeat more than x + noise_std * eps allows, else {}: a batch cut to a range piles
    up at its ends. The exact copies at the ends are repeats, so the bound of
    grader.check.stats.too_many_repeats holds: a correct batch is taken for clipped with
    probability <= 1e-8."""
    x = x_noisy.flatten()
    ends = {float(v): int((x == v).sum()) for v in (x.min(), x.max())}
    ends = {v: k for v, k in ends.items() if k > 1}
    repeats = sum(k - 1 for k in ends.values())
    n = x.numel()
    clipped = stats.implausible_count(math.ceil(repeats / 2), n, min(1.0, n * stats.P_MAX), above_only=True)
    return ends if clipped else {}


def unclipped(x_noisy: torch.Tensor) -> torch.Tensor:
    """Where the noisy batch is not at an end of the range it was cut to (everywhere when it was not cut)."""
    ends = list(clip_ends(x_noisy))
    return ~torch.isin(x_noisy, torch.tensor(ends, dtype=x_noisy.dtype))


@pytest.mark.points(1)
def test_noise_is_gaussian(sample, seed):
    """eps = (x_noisy - x) / noise_std follows N(0, 1), tails included"""
    eps = recovered_eps(sample["call1"], seed)
    if eps.abs().max() == 0:
        mistake("clean-input", "your autoencoder saw the clean x: no noise was added")
    require_own_noise(eps)
    ends = clip_ends(noisy_batch(sample["call1"], sample_case(seed)))
    if ends:
        counts = " and ".join(f"{k} equal {v:g}" for v, k in ends.items())
        mistake("clamped-noisy-input", f"the noisy batch your autoencoder saw was cut to a range: of its {eps.numel()} "
                f"values, {counts} exactly, where x + noise_std * eps never repeats a value; pass it on unclipped")
    ok, distance, limit = stats.looks_standard_normal(eps)
    if not ok:
        raise scale_mistake(eps) or Mistake(None, f"eps = (x_noisy - x) / noise_std is not N(0, 1): mean "
                                            f"{eps.mean():.3f}, std {eps.std():.3f} (KS distance {distance:.3f} > {limit:.3f})")
    tails = stats.tails_mismatch(eps)
    if tails:
        mistake(None, f"eps = (x_noisy - x) / noise_std has the wrong tails: {tails}")


@pytest.mark.points(1)
def test_noise_independent_across_batch_and_dims(sample, seed):
    """the noise is drawn independently for every sample and every element"""
    eps = recovered_eps(sample["call1"], seed)
    if eps.abs().max() == 0:
        expect.not_judged("no noise was added (see the check of its distribution)")
    if shared(eps):
        mistake("shared-noise", f"every sample of the batch got the same noise ({expect.preview(eps[0])})")
    if not (stats.looks_uncorrelated(eps[0::2], eps[1::2]) and stats.looks_uncorrelated(eps[:, 0::2], eps[:, 1::2])):
        mistake(None, "the noise is correlated across the batch or across the dims")
    serial = stats.serial_correlation(eps)
    if serial:
        mistake(None, f"the noise, read in memory order, correlates with itself at lag {serial[0]} (r = {serial[1]:.3f})")


def reused(eps1: torch.Tensor, eps2: torch.Tensor, batches: list[torch.Tensor]) -> bool:
    """Whether the second call's noise repeats the first's: values shared, or correlated. Elements
    either batch holds at an end of its clip range are left out (clipping makes them equal, not
    reused noise); the rest were kept for lying in a range set by x, so they correlate through x
    and only shared values are tested."""
    keep = unclipped(batches[0]) & unclipped(batches[1])
    if bool(keep.all()):
        return stats.too_many_shared(eps1, eps2) is not None or not stats.looks_uncorrelated(eps1, eps2)
    return stats.too_many_shared(eps1[keep], eps2[keep]) is not None


@pytest.mark.points(1)
def test_noise_fresh_and_follows_the_global_seed(sample, seed):
    """two calls draw new noise, and the noise follows torch.manual_seed"""
    eps1, eps2 = recovered_eps(sample["call1"], seed), recovered_eps(sample["call2"], seed)
    require_own_noise(eps1)
    if reused(eps1, eps2, [noisy_batch(sample[k], sample_case(seed)) for k in ("call1", "call2")]):
        mistake("noise-reused", "two calls with the same x drew the same (or related) noise")
    runs = sample["seeds"]
    batches = [expect.returned(runs[k]) for k in ("first", "again", "other")]
    if any(b is None or b.data is None for b in batches):
        expect.not_judged("the batch your autoencoder saw cannot be read (see the check of the call)")
    first, again, other = (b.data.to(F64) for b in batches)
    if not torch.equal(first, again):
        mistake(None, "after the same torch.manual_seed, two calls drew different noise: draw it from torch's global "
                "generator (torch.randn_like(x)), not from a generator of your own")
    if torch.equal(first, other):
        mistake(None, "after different torch.manual_seed calls, your noise was the same: it ignores the global seed")


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on x's device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the loss")
