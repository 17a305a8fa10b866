"""Hidden checks of exercise c1, reparameterize(mu, log_var, training=True).

The noise is random, so nothing compares z with a fixed number: eps is recovered as
(z - mu) / exp(0.5 log_var) and tested as a distribution (grader.check.stats: each test fails a
correct solution with probability <= 1e-8), and the gradients are compared with their
exact values given the z the student's code produced.
"""

import torch

from grader.check import expect
from grader.check import stats
from grader.sandbox.device_spy import run_on_device
from grader.sandbox.probing import backward_if_possible, seeded
from grader.check.suite import Fail, Suite

suite = Suite(function="reparameterize")
F64 = torch.float64
SHAPES = [((1, 3), torch.float32), ((7, 5), F64), ((3, 2, 4, 4), torch.float32)]
LOG_VARS = torch.tensor([-2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2], dtype=F64)  # no 0: mistakes show everywhere
ROWS = 2500


def inputs(shape, dtype, seed):
    g = seeded(seed)
    mu = 2 * torch.randn(shape, generator=g, dtype=F64)
    log_var = 4 * torch.rand(shape, generator=g, dtype=F64) - 2
    return mu.to(dtype), log_var.to(dtype)


def sample_inputs():
    mu = torch.randn(ROWS, len(LOG_VARS), generator=seeded(11), dtype=F64)
    return mu, LOG_VARS.expand(ROWS, -1).clone()


def weights(shape):
    return torch.rand(shape, generator=seeded(99), dtype=F64) + 0.5


# --- probes: run in the student's process ----------------------------------------------

@suite.probe
def shapes(reparameterize):
    out = {}
    for i, (shape, dtype) in enumerate(SHAPES):
        mu, log_var = inputs(shape, dtype, i)
        out[f"z{i}"] = reparameterize(mu, log_var)
        out[f"mu{i}"], out[f"log_var{i}"] = mu, log_var
    return out


@suite.probe
def sample(reparameterize):
    mu, log_var = sample_inputs()
    return {"z1": reparameterize(mu.clone(), log_var.clone()), "z2": reparameterize(mu.clone(), log_var.clone())}


@suite.probe
def gradients(reparameterize):
    mu, log_var = (t.requires_grad_() for t in inputs((6, 4), F64, 21))
    z = reparameterize(mu, log_var)
    backward_if_possible(z, mu, weights(mu.shape))
    return {"z": z, "mu_grad": mu.grad, "log_var_grad": log_var.grad}


@suite.probe
def evaluation(reparameterize):
    out = {}
    for i, (shape, dtype) in enumerate([((5, 3), F64), ((2, 3, 4, 4), torch.float32)]):
        mu, log_var = inputs(shape, dtype, 30 + i)
        mu.requires_grad_()
        out[f"z{i}"] = z = reparameterize(mu, log_var, training=False)
        backward_if_possible(z, mu, torch.ones(shape, dtype=F64))
        out[f"mu_grad{i}"] = mu.grad
    return out


@suite.probe
def device(reparameterize):
    mu, log_var = inputs((4, 3), F64, 40)
    return run_on_device(lambda move: reparameterize(move(mu), move(log_var)))


# --- verdicts: run in the grader's process ---------------------------------------------

@suite.check(shapes, points=1, public=True)
def returns_tensor_like_mu(out, ref):
    """returns a tensor with mu's shape and dtype (batch 1, odd batch, 4-D, float32/64)"""
    for i, (shape, dtype) in enumerate(SHAPES):
        z = expect.tensor(out[f"z{i}"], f"z for mu of shape {shape}", shape=shape, dtype=str(dtype)[6:])
        if not torch.isfinite(z).all():
            raise Fail(f"z for mu of shape {shape} contains nan or inf: {expect.preview(z)}")


@suite.check(shapes, points=1, public=True)
def leaves_inputs_unchanged(out, ref):
    """leaves mu and log_var unchanged"""
    for i, (shape, dtype) in enumerate(SHAPES):
        expect.tensor(out[f"z{i}"], f"z for mu of shape {shape}")  # the call must have worked
        mu, log_var = inputs(shape, dtype, i)
        expect.unchanged(mu, out[f"mu{i}"], "mu")
        expect.unchanged(log_var, out[f"log_var{i}"], "log_var")


def recovered_eps(z_value):
    mu, log_var = sample_inputs()
    z = expect.tensor(z_value, "z", shape=mu.shape, dtype="float64")
    return (z - mu) / torch.exp(0.5 * log_var), z - mu, log_var[0]


def diagnose(eps, diff, log_var):
    """A message naming the mistake when eps shows a known one's signature, else None."""
    if not torch.isfinite(diff).all():
        return Fail("z contains nan or inf")
    if diff.abs().max() < 1e-12:
        return Fail("your z equals mu exactly: no noise was added with training=True", "no-noise")
    if torch.allclose(eps[0], eps[1]) and torch.allclose(eps[0], eps[-1]):
        return Fail(f"every row of eps = (z - mu) / std is the same ({expect.preview(eps[0])})", "eps-shared-batch")
    if torch.allclose(eps[:, 0], eps[:, 1]) and torch.allclose(eps[:, 0], eps[:, -1]):
        return Fail("within each row, eps = (z - mu) / std is the same in every latent dimension", "eps-shared-dims")
    if eps.min() >= 0 and eps.max() <= 1:
        return Fail(f"eps = (z - mu) / std lies in [0, 1] with mean {eps.mean():.3f}: it is uniform, not N(0, 1)", "eps-uniform")
    spread = diff.std(dim=0)
    for mistake, std in {"std-exp-logvar": torch.exp(log_var), "std-is-logvar": log_var.abs(),
                         "std-sign-flip": torch.exp(-0.5 * log_var)}.items():
        if ((spread / std - 1).abs() < 0.1).all():
            j = int(torch.argmax(log_var))
            return Fail(f"where log_var = {log_var[j]:g}, your z - mu has standard deviation {spread[j]:.3f}; "
                        f"exp(0.5*log_var) = {torch.exp(0.5 * log_var[j]):.3f} was expected", mistake)
    return None


@suite.check(sample, points=2)
def eps_is_standard_normal(out, ref):
    """eps = (z - mu) / exp(0.5 log_var) follows N(0, 1)"""
    eps, diff, log_var = recovered_eps(out["z1"])
    ok, distance, limit = stats.looks_standard_normal(eps)
    if not ok:
        raise diagnose(eps, diff, log_var) or Fail(
            f"eps = (z - mu) / exp(0.5*log_var) is not N(0, 1): mean {eps.mean():.3f}, std {eps.std():.3f} "
            f"(KS distance {distance:.3f} > {limit:.3f})")


@suite.check(sample, points=1)
def eps_independent_across_batch_and_dims(out, ref):
    """eps is drawn independently for every sample and every latent dimension"""
    eps, diff, log_var = recovered_eps(out["z1"])
    if not (stats.looks_uncorrelated(eps[0::2], eps[1::2]) and stats.looks_uncorrelated(eps[:, 0::2], eps[:, 1::2])):
        raise diagnose(eps, diff, log_var) or Fail("eps is correlated across the batch or across latent dimensions")


@suite.check(sample, points=1)
def eps_fresh_on_every_call(out, ref):
    """two calls with the same inputs draw independent noise"""
    eps1, _, _ = recovered_eps(out["z1"])
    eps2, _, _ = recovered_eps(out["z2"])
    if not stats.looks_uncorrelated(eps1, eps2):
        same = torch.allclose(eps1, eps2)
        raise Fail("two calls with the same mu and log_var returned " + ("the same z" if same else "correlated noise"),
                   "eps-reused")


@suite.check(gradients, points=2)
def gradients_reach_mu_and_log_var(out, ref):
    """dz/dmu = 1 and dz/dlog_var = 0.5 (z - mu)"""
    mu, _ = inputs((6, 4), F64, 21)
    z = expect.tensor(out["z"], "z", shape=mu.shape, dtype="float64")
    if not out["z"].requires_grad:
        raise Fail("z does not depend on mu and log_var through autograd (z.requires_grad is False)", "no-reparam-gradient")
    w = weights(mu.shape)
    mu_grad, lv_grad = out["mu_grad"], out["log_var_grad"]
    if mu_grad is None or not expect.close(mu_grad.data, w):
        raise Fail("the gradient of z with respect to mu is not 1: z must be mu + (noise that does not depend on mu)",
                   "no-reparam-gradient")
    if lv_grad is None or lv_grad.data.abs().max() == 0:
        raise Fail("no gradient reaches log_var", "std-detached")
    expect.expect_close(lv_grad.data, 0.5 * w * (z - mu), "dz/dlog_var (weighted)", rtol=1e-6,
                        mistakes={"std-exp-logvar": w * (z - mu)})


@suite.check(evaluation, points=1)
def evaluation_returns_mu(out, ref):
    """training=False returns mu (no noise, gradients still flow)"""
    for i, (shape, dtype) in enumerate([((5, 3), F64), ((2, 3, 4, 4), torch.float32)]):
        mu, _ = inputs(shape, dtype, 30 + i)
        z = expect.tensor(out[f"z{i}"], "z with training=False", shape=shape, dtype=str(dtype)[6:])
        if not expect.close(z, mu, rtol=0, atol=0):
            raise Fail(f"with training=False z should equal mu {expect.preview(mu)}, got {expect.preview(z)}",
                       "training-ignored")
        if out[f"mu_grad{i}"] is None:
            raise Fail("with training=False your z is cut off from mu's gradient: return mu itself, not a detached copy")


@suite.check(device, points=1)
def result_on_inputs_device(out, ref):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(out, "z")
