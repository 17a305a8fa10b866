"""Hidden checks of exercise c1, reparameterize(mu, log_var, training=True).

The noise is random, so nothing compares z with a fixed number: eps is recovered as
(z - mu) / exp(0.5 log_var) and tested as a distribution (grader.check.stats), on every call,
and the gradients are compared with their exact values given the z the student's code produced.
The public check owns z's type and shape; the others are not judged until z is a tensor shaped
like mu.

Statistical tests of a run, each failing a correct solution with probability <= 1e-8 (so the
run's 12 stay below 2e-7): the distribution (KS against DKW) and the tail mass beyond 2 and 3
sigma (binomial, Chernoff) on each of two calls (4); independence across the batch and across
latent dimensions (2 correlations); no value repeated within a draw and no structure at up to
8 lags in memory order (<= 8e-9 together) (2); no value of the second call found in the first,
and the two calls uncorrelated (2). A draw that does not follow torch.manual_seed (the same
seed twice must give the same eps, another seed another eps) is found by equality alone, with
no false failures. The sample's batch size is drawn from the run's seed.

What the grader judges itself, not trusting the student's process: after the same torch.manual_seed a
second call on the same mu and log_var must return the same z (an in-place change shows in the value,
whatever bytes are sent back); the gradients and the device are judged only once z - mu is
exp(0.5 log_var) times N(0, 1) noise.
"""

import pytest
import torch

from grader.check import expect, stats
from grader.check.expect import Mistake, NotJudged
from grader.check.wire import TensorValue

from .probes import EVALUATION_SHAPES, F64, GRADIENT_SHAPE, inputs, shape_cases, sample_inputs, seed_inputs, weights


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_tensor_like_mu(shapes, seed):
    """returns a tensor with mu's shape and dtype (batch 1, odd batch, 4-D, float32/64)"""
    for i, (shape, dtype) in enumerate(shape_cases(seed)):
        if shapes[f"z{i}"] is None:
            expect.mistake("no-return", "your function returned None: end it with `return z`")
        z = expect.tensor(shapes[f"z{i}"], f"z for mu of shape {shape}", shape=shape, dtype=str(dtype)[6:])
        if not torch.isfinite(z).all():
            raise Mistake(None, f"z for mu of shape {shape} contains nan or inf: {expect.preview(z)}")


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_inputs_unchanged(shapes, seeds, seed):
    """leaves mu and log_var unchanged"""
    for i, (shape, dtype) in enumerate(shape_cases(seed)):
        z = expect.judgeable(shapes[f"z{i}"], "a tensor")  # no points for code that returns nothing
        mu, log_var = inputs(shape, dtype, seed + i)
        expect.unchanged(mu, shapes[f"mu{i}"], "mu")
        expect.unchanged(log_var, shapes[f"log_var{i}"], "log_var")
        again = expect.reading(shapes[f"again{i}"].get("result"), tuple(z.shape))
        if follows_the_seed(seeds) and (again is None or not torch.equal(z, again)):
            expect.mistake("modifies-input", f"for mu of shape {shape}, a second call on the same mu and log_var tensors, "
                           "after the same torch.manual_seed, returned another z: the first call changed mu or log_var "
                           "in place; compute new tensors (z = mu + std * eps, not mu.add_(...))")


def follows_the_seed(seeds) -> bool:
    """Whether two calls after the same torch.manual_seed returned the same tensor."""
    first, again = (seeds[name].get("result") for name in ("first", "again"))
    return all(isinstance(v, TensorValue) and v.data is not None for v in (first, again)) and \
        first.shape == again.shape and torch.equal(first.data, again.data)


def noise_is_right(sample, seed) -> bool:
    """Whether the first call's eps looks N(0, 1) (KS): z's formula is then right (judged by the grader), and
    what the sandbox reports of it (gradients, device) is judged. Tails and freshness have checks of their own."""
    try:
        eps = recovered_eps(sample["z1"], seed)[0]
    except (Mistake, NotJudged):
        return False
    return bool(torch.isfinite(eps).all()) and shared(eps) is None and stats.looks_standard_normal(eps)[0]


def recovered_eps(z_value, seed, inputs_used=None):
    mu, log_var = inputs_used or sample_inputs(seed)
    z = expect.judgeable(z_value, "a tensor shaped like mu", shape=mu.shape)
    return (z - mu) / torch.exp(0.5 * log_var), z - mu, log_var[0]


def shared(eps) -> Mistake | None:
    """A Mistake when one draw of eps serves every row, or every latent dimension, of the batch."""
    if torch.allclose(eps[0], eps[1]) and torch.allclose(eps[0], eps[-1]):
        return Mistake("eps-shared-batch", f"every row of eps = (z - mu) / std is the same ({expect.preview(eps[0])})")
    if torch.allclose(eps[:, 0], eps[:, 1]) and torch.allclose(eps[:, 0], eps[:, -1]):
        return Mistake("eps-shared-dims", "within each row, eps = (z - mu) / std is the same in every latent dimension")
    return None


def diagnose(eps, diff, log_var) -> Mistake | None:
    """A Mistake naming the mistake when eps shows a known one's signature, else None."""
    if not torch.isfinite(diff).all():
        return Mistake(None, "z contains nan or inf")
    if diff.abs().max() < 1e-12:
        return Mistake("no-noise", "your z equals mu exactly: no noise was added with training=True")
    found = shared(eps)
    if found:
        return found
    if eps.min() >= 0 and eps.max() <= 1:
        return Mistake("eps-uniform", f"eps = (z - mu) / std lies in [0, 1] with mean {eps.mean():.3f}: it is uniform, not N(0, 1)")
    spread = diff.std(dim=0)
    for mistake, std in {"std-exp-logvar": torch.exp(log_var), "std-is-logvar": log_var.abs(),
                         "std-sign-flip": torch.exp(-0.5 * log_var)}.items():
        if ((spread / std - 1).abs() < 0.1).all():  # the sample std is within 1.5% of the truth here
            j = int(torch.argmax(log_var))
            return Mistake(mistake, f"where log_var = {log_var[j]:g}, your z - mu has standard deviation "
                                    f"{spread[j]:.3f}; exp(0.5*log_var) = {torch.exp(0.5 * log_var[j]):.3f} was expected")
    return None


@pytest.mark.points(2)
def test_eps_is_standard_normal(sample, seed):
    """eps = (z - mu) / exp(0.5 log_var) follows N(0, 1), on every call"""
    for call, when in (("z1", ""), ("z2", "on the second of two calls with the same mu and log_var, ")):
        eps, diff, log_var = recovered_eps(sample[call], seed)
        if shared(eps):
            expect.not_judged("one draw of eps serves many values (the independence check names it), so its "
                              "distribution cannot be tested")
        ok, distance, limit = stats.looks_standard_normal(eps)
        if not ok:
            found = diagnose(eps, diff, log_var)
            if found and not when:
                raise found
            raise Mistake(None, when + (found.message if found else
                          f"eps = (z - mu) / exp(0.5*log_var) is not N(0, 1): mean {eps.mean():.3f}, "
                          f"std {eps.std():.3f} (KS distance {distance:.3f} > {limit:.3f})"))
        tails = stats.tails_mismatch(eps)
        if tails:
            raise Mistake(None, f"{when}eps = (z - mu) / exp(0.5*log_var) has the wrong tails for N(0, 1): {tails} "
                          "(clipped or truncated noise?): draw it with torch.randn_like, unchanged")


@pytest.mark.points(1)
def test_eps_independent_across_batch_and_dims(sample, seed):
    """eps is drawn independently for every sample and every latent dimension (no repeats, no structure)"""
    eps, diff, log_var = recovered_eps(sample["z1"], seed)
    even = len(eps) // 2 * 2  # neighbouring rows, in pairs
    if not (stats.looks_uncorrelated(eps[:even:2], eps[1:even:2]) and stats.looks_uncorrelated(eps[:, 0::2], eps[:, 1::2])):
        raise diagnose(eps, diff, log_var) or Mistake(None, "eps is correlated across the batch or across latent dimensions")
    repeats = stats.too_many_repeats(eps)
    if repeats:
        expect.mistake(None, f"{repeats} of the {eps.numel()} values of eps = (z - mu) / exp(0.5*log_var) repeat another "
                       "value of the same call (to 1e-9 relative): independent normal draws never do (rows or values copied?)")
    structure = stats.serial_correlation(eps)
    if structure:
        lag, r = structure
        expect.mistake(None, f"eps is correlated with itself {lag} values further on, in memory order (correlation "
                       f"{r:.3f}): every value must be an independent draw (no halves mirrored or mixed)")


@pytest.mark.points(1)
def test_eps_fresh_on_every_call(sample, seeds, seed):
    """two calls draw independent noise, which follows torch.manual_seed"""
    eps1, diff, _ = recovered_eps(sample["z1"], seed)
    eps2, diff2, _ = recovered_eps(sample["z2"], seed)
    finite = bool(torch.isfinite(eps1).all() and torch.isfinite(eps2).all())
    if finite and diff.abs().max() >= 1e-12 and diff2.abs().max() < 1e-12:
        expect.mistake("no-noise", "the second of two calls with the same mu and log_var returned z = mu exactly: "
                       "every call with training=True must add fresh noise")
    if not finite or diff.abs().max() < 1e-12 or shared(eps1) or shared(eps2):
        expect.not_judged("the noise of one call is already wrong (see above), so two calls cannot be compared")
    if not stats.looks_uncorrelated(eps1, eps2):
        same = torch.allclose(eps1, eps2)
        raise Mistake("eps-reused", "two calls with the same mu and log_var returned " + ("the same z" if same else "correlated noise"))
    copied = stats.too_many_shared(eps1, eps2)
    if copied:
        expect.mistake("eps-reused", f"{copied} of the {eps2.numel()} values of eps drawn by the second of two calls "
                       "appear among the first call's (equal to 1e-9 relative): a shifted, permuted or replayed copy is not a fresh draw")
    follows_the_global_seed(seeds, seed)


def follows_the_global_seed(seeds, seed) -> None:
    """After the same torch.manual_seed two calls draw the same eps; after another seed, another."""
    eps = {}
    for k, name in enumerate(("first", "again", "other")):
        z = expect.returned(seeds[name])
        eps[name] = recovered_eps(z, seed, seed_inputs(seed, k))[0]
    if not torch.allclose(eps["first"], eps["again"], rtol=1e-6, atol=1e-9):
        expect.mistake("private-generator", "after the same torch.manual_seed, two calls drew different eps: draw from "
                       "torch's global generator (torch.randn_like(std)) so that torch.manual_seed reproduces a run; a "
                       "generator of your own (torch.Generator(), numpy's default_rng) is not seeded by it")
    if torch.allclose(eps["first"], eps["other"], rtol=1e-6, atol=1e-9):
        expect.mistake("eps-reused", "after two different torch.manual_seed seeds, two calls drew the same eps: the "
                       "noise ignores the global seed (seeded or cached inside the function?)")


@pytest.mark.points(2)
def test_gradients_reach_mu_and_log_var(gradients, sample, seed):
    """dz/dmu = 1 and dz/dlog_var = 0.5 (z - mu)"""
    mu, _ = inputs(GRADIENT_SHAPE, F64, seed + 21)
    z = expect.judgeable(gradients["z"], "a tensor shaped like mu", shape=mu.shape)
    if not noise_is_right(sample, seed):
        expect.not_judged("z - mu is not yet exp(0.5*log_var) times N(0, 1) noise (see the noise checks); the "
                          "gradients are judged once it is")
    if (z - mu).abs().max() < 1e-12:
        expect.not_judged("your z equals mu exactly (no noise), so there is no gradient to log_var to judge")
    if not gradients["z"].requires_grad:
        raise Mistake("no-reparam-gradient", "z does not depend on mu and log_var through autograd (z.requires_grad is False)")
    w = weights(mu.shape, seed)
    mu_grad, lv_grad = gradients["mu_grad"], gradients["log_var_grad"]
    if mu_grad is None or not expect.close(mu_grad.data, w):
        raise Mistake("no-reparam-gradient", "the gradient of z with respect to mu is not 1: z must be mu + (noise that does not depend on mu)")
    if lv_grad is None or lv_grad.data.abs().max() == 0:
        raise Mistake("std-detached", "no gradient reaches log_var")
    expect.expect_close(lv_grad.data, 0.5 * w * (z - mu), "dz/dlog_var (weighted)", rtol=1e-6,
                        mistakes={"std-exp-logvar": w * (z - mu)})


def refused_training(entry) -> None:
    """Name a signature without `training`: the call reparameterize(mu, log_var, training=False) fails."""
    error = entry.get("error") or {}
    if error.get("type") == "TypeError" and "training" in str(error.get("message")) and not error.get("frames"):
        expect.mistake("no-training-parameter", "reparameterize(mu, log_var, training=False) was refused "
                       f"({error.get('message')}): keep the stub's signature, with training=True as the default")


@pytest.mark.points(1)
def test_evaluation_returns_mu(evaluation, sample, seed):
    """training=False returns mu (no noise, gradients still flow)"""
    trained_mu, _ = sample_inputs(seed)
    no_noise_in_training = isinstance(sample["z1"], TensorValue) and sample["z1"].data is not None and \
        sample["z1"].shape == trained_mu.shape and expect.close(sample["z1"].data.to(F64), trained_mu, rtol=0, atol=0)
    for i, (shape, dtype) in enumerate(EVALUATION_SHAPES):
        refused_training(evaluation[f"z{i}"])
        mu, log_var = inputs(shape, dtype, seed + 30 + i)
        z = expect.tensor(expect.returned(evaluation[f"z{i}"]), "z with training=False", shape=shape,
                          dtype=str(dtype)[6:])
        if not expect.close(z, mu, rtol=0, atol=0):
            noisy = bool(((z.to(F64) - mu.to(F64)) / torch.exp(0.5 * log_var.to(F64))).std() > 0.2)  # not mu + c * std
            if no_noise_in_training and noisy:
                expect.mistake("no-noise", "the training flag works backwards: training=True returns mu, while "
                               "training=False adds noise")
            if noisy:
                raise Mistake("training-ignored", f"with training=False z should equal mu {expect.preview(mu)}, got "
                              f"{expect.preview(z)}: noise was added")
            raise Mistake(None, f"with training=False z should equal mu: {expect.differ(z, mu)}")
        if evaluation[f"mu_grad{i}"] is None:
            raise Mistake(None, "with training=False your z is cut off from mu's gradient: return mu itself, not a detached copy")


@pytest.mark.points(1)
def test_result_on_inputs_device(device, sample, seed):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    if not noise_is_right(sample, seed):
        expect.not_judged("z - mu is not yet exp(0.5*log_var) times N(0, 1) noise (see the noise checks); its "
                          "device is judged once it is")
    expect.device_verdict(device, "z")
