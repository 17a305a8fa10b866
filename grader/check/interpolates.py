"""The interpolates of a WGAN-GP penalty (exercises c3 and c10), on the grader's side.

The critic the probes hand over records the batches it is called on; from the interpolates
x_hat the grader recovers each sample's eps (least squares on the segment from fake to real)
and judges eps as a distribution: U(0, 1), one independent draw per sample, fresh on every
call, following torch.manual_seed (judged by equality alone). Each statistical test fails a
correct solution with probability <= 1e-8 (grader.check.stats): 2 for the law (KS against DKW,
the mass below 0.01 and above 0.99), 5 for freshness (two correlations, repeats within a call,
values shared between calls, serial structure at up to 8 lags, <= 1e-8 together): below 1e-7.
"""

from __future__ import annotations

import torch

from grader.check import stats
from grader.check.expect import Mistake, mistake

F64 = torch.float64


def recover_eps(x_hat: torch.Tensor, real: torch.Tensor, fake: torch.Tensor):
    """eps_i with x_hat_i = eps_i real_i + (1 - eps_i) fake_i (least squares, rows (B, D) in float64),
    the relative residual of each row, and the offsets x_hat - fake and real - fake."""
    real, fake = real.to(F64).flatten(1), fake.to(F64).flatten(1)
    d, rel = real - fake, x_hat.to(F64).flatten(1) - fake
    eps = (rel * d).sum(1) / (d * d).sum(1)
    residual = (rel - eps[:, None] * d).norm(dim=1) / d.norm(dim=1)
    return eps, residual, rel, d


def endpoint(eps: torch.Tensor, tol: float) -> Mistake | None:
    """A Mistake when the critic was differentiated at real (eps = 1) or at fake (eps = 0) itself."""
    for value, name in ((1, "real"), (0, "fake")):
        if (eps - value).abs().max() <= tol:
            return Mistake("critic-not-at-interpolates", f"your critic was differentiated at `{name}` itself (eps = "
                           f"{value} for every sample), not at random interpolates between real and fake")
    return None


def degenerate(eps: torch.Tensor) -> Mistake | None:
    """A Mistake naming the mistake when every sample of the batch has the same eps."""
    if eps.std() > 1e-6:
        return None
    if (eps - 0.5).abs().max() < 1e-6:
        return Mistake("eps-constant", "eps = 0.5 for every sample: x_hat is always the midpoint of real and fake")
    return Mistake("eps-shared-batch", f"every sample of the batch uses the same eps ({eps[0]:.4f})")


def judge_uniform(eps: torch.Tensor) -> None:
    """eps follows U(0, 1), near its ends included."""
    ok, distance, limit = stats.looks_uniform(eps)
    if not ok:
        raise degenerate(eps) or Mistake("eps-not-uniform", f"eps recovered from x_hat is not uniform on [0, 1]: mean "
                                         f"{eps.mean():.3f} (expected 0.5), std {eps.std():.3f} (expected 0.289); KS "
                                         f"distance {distance:.3f} > {limit:.3f}")
    tails = stats.tails_mismatch(eps, "uniform")
    if tails:
        mistake("eps-not-uniform", f"eps recovered from x_hat is not uniform on [0, 1] near its ends: {tails} (eps kept "
                "away from 0 and 1?): draw it with torch.rand, unchanged")


def judge_fresh(eps1: torch.Tensor, eps2: torch.Tensor) -> None:
    """Two calls' eps (same real and fake): one independent draw per sample, new on every call.
    Repeats are counted on eps rounded to 1e-9 (the recovery's own rounding is ~1e-15)."""
    failure = degenerate(eps1) or degenerate(eps2)
    if failure:
        raise failure
    z1, z2 = (torch.special.ndtri(e.clamp(1e-12, 1 - 1e-12)) for e in (eps1, eps2))
    if torch.allclose(eps1, eps2, rtol=0, atol=1e-9):
        mistake("eps-reused", "two calls with the same real and fake used exactly the same eps")
    if not stats.looks_uncorrelated(z1, z2):
        mistake("eps-reused", "the eps of two calls with the same real and fake are correlated")
    if not stats.looks_uncorrelated(z1[0::2], z1[1::2]):
        mistake(None, "the eps of neighbouring samples are correlated: draw one independent eps per sample")
    rounded1, rounded2 = torch.round(eps1 * 1e9), torch.round(eps2 * 1e9)
    repeats, copied = stats.too_many_repeats(rounded1), stats.too_many_shared(rounded1, rounded2)
    if repeats:
        mistake(None, f"{repeats} of the {eps1.numel()} samples' eps repeat another sample's eps of the same call: "
                "independent uniform draws never do (eps copied between samples?)")
    if copied:
        mistake("eps-reused", f"{copied} of the {eps2.numel()} eps of the second of two calls appear among the first "
                "call's: a shifted, permuted or replayed copy is not a fresh draw")
    structure = stats.serial_correlation(eps1)
    if structure:
        mistake(None, f"eps is correlated with the eps {structure[0]} samples further on (correlation "
                f"{structure[1]:.3f}): every sample needs an independent draw")


def judge_global_seed(first: torch.Tensor, again: torch.Tensor, other: torch.Tensor) -> None:
    """After the same torch.manual_seed two calls draw the same eps; after another seed, another."""
    if not torch.allclose(first, again, rtol=0, atol=1e-9):
        mistake("private-generator", "after the same torch.manual_seed, two calls drew different eps: draw from torch's "
                "global generator (torch.rand) so that torch.manual_seed reproduces a run; a generator of your own "
                "(torch.Generator(), numpy's default_rng) is not seeded by it")
    if torch.allclose(first, other, rtol=0, atol=1e-9):
        mistake("eps-reused", "after two different torch.manual_seed seeds, two calls drew the same eps: the eps "
                "ignores the global seed (is it seeded or cached inside the function?)")
