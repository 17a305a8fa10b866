"""Independent computations of every family's key, by family id.

Each oracle receives the drawn params (floats, as attributes of `p`) and recomputes the key
from the definitions with numpy, torch or plain Python: densities evaluated pointwise,
divergences by their defining sums or by numerical integration, schedules by explicit
loops, gradients by autograd, log-densities by finite differences of a CDF, maxima by search
(duality, projected ascent), inverses by bisection. None of them reads the YAML expressions
or restates their closed form in other words. Expr families take a second argument, the
variable's value.
Text-only mcq/msq families get `Facts`: a table, written from the seed texts, of what each option
is about (the model, quantity or mechanism it names) and whether that is true, with the reason;
the options' own wording of the claim is not used.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch.distributions import Normal, kl_divergence

F64 = torch.float64  # explicit everywhere: changing torch's global default would leak into other tests

ORACLES: dict = {}


@dataclass(frozen=True)
class Key:
    keywords: tuple[str, ...]


def oracle(pid: str, rel: float | None = None, domain: tuple[float, float] | None = None):
    def register(fn):
        if rel is not None:
            fn.rel = rel
        if domain is not None:
            fn.domain = domain
        ORACLES[pid] = fn
        return fn

    return register


def key(pid: str, *keywords: str) -> None:
    ORACLES[pid] = Key(keywords)


@dataclass(frozen=True)
class Facts:
    """subject (a regex for what an option is about) -> (true?, why, from the seed text)."""

    table: dict


def facts(pid: str, table: dict) -> None:
    ORACLES[pid] = Facts(table)


def t(*values) -> torch.Tensor:
    return torch.tensor(values, dtype=F64)


def normal(mean, std) -> Normal:
    return Normal(torch.as_tensor(mean, dtype=F64), torch.as_tensor(std, dtype=F64))


def normal_pdf(x, mean, var):
    return math.exp(-((x - mean) ** 2) / (2 * var)) / math.sqrt(2 * math.pi * var)


def entropy(probs) -> float:
    probs = np.asarray(probs, dtype=float)
    return float(-(probs * np.log(probs)).sum())


def grad_of(fn, value: float) -> float:
    x = torch.tensor(value, dtype=F64, requires_grad=True)
    fn(x).backward()
    return float(x.grad)


def bisect(fn, target: float, lo: float, hi: float) -> float:
    """The x in [lo, hi] where the increasing fn reaches target."""
    for _ in range(200):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if fn(mid) < target else (lo, mid)
    return (lo + hi) / 2


# ---------------------------------------------------------------- gan


@oracle("gan-dstar-gauss")
def _(p):
    real, fake = normal_pdf(p.x0, p.a, p.v), normal_pdf(p.x0, p.b, p.v)
    return real / (real + fake)


@functools.lru_cache(maxsize=None)
def power_normaliser(k: float) -> float:
    """Integral of x**k over [0, 1], by the trapezoid rule."""
    grid = np.linspace(0.0, 1.0, 200001)
    return float(np.trapezoid(grid**k, grid))


@oracle("gan-dstar-expr", rel=1e-6, domain=(0.0, 1.0))
def _(p, x):
    real, fake = x**p.k / power_normaliser(p.k), x**p.m / power_normaliser(p.m)
    return real / (real + fake)


@oracle("gan-dstar-uniform")
def _(p):
    x = p.a / 2
    real = 1 / p.a if 0 <= x <= p.a else 0.0
    fake = 1 / p.b if 0 <= x <= p.b else 0.0
    return real / (real + fake)


@oracle("gan-vstar-discrete")
def _(p):
    real = np.array([p.p1, p.p2, 100 - p.p1 - p.p2]) / 100
    fake = np.array([p.q1, p.q2, 100 - p.q1 - p.q2]) / 100
    jsd = entropy((real + fake) / 2) - (entropy(real) + entropy(fake)) / 2
    return 2 * jsd - 2 * math.log(2)


@oracle("gan-jsd-bernoulli")
def _(p):
    real, fake = np.array([p.p, 1 - p.p]), np.array([p.q, 1 - p.q])
    return entropy((real + fake) / 2) - (entropy(real) + entropy(fake)) / 2


@oracle("gan-grad-ratio")
def _(p):
    saturating = grad_of(lambda d: torch.log(1 - d), p.d)
    non_saturating = grad_of(lambda d: -torch.log(d), p.d)
    return abs(non_saturating) / abs(saturating)


@oracle("gan-grad-logit")
def _(p):
    return abs(grad_of(lambda a: -F.logsigmoid(a), p.a))


@oracle("gan-d-loss")
def _(p):
    outputs = t(p.r1, p.r2, p.f1, p.f2)
    labels = t(1, 1, 0, 0)
    return float(F.binary_cross_entropy(outputs, labels, reduction="sum")) / 2


# ---------------------------------------------------------------- wgan


@oracle("wgan-critic-loss")
def _(p):
    """The batch estimate as the mean over every (fake, real) pair of D(fake) - D(real)."""
    real, fake = t(p.r1, p.r2, p.r3), t(p.f1, p.f2, p.f3)
    return float((fake[:, None] - real[None, :]).mean())


@oracle("wgan-gp-linear")
def _(p):
    w = t(p.w1, p.w2)
    eps = p.ep
    x_hat = (eps * t(p.x1, p.x2) + (1 - eps) * t(p.g1, p.g2)).requires_grad_(True)
    score = w @ x_hat + 0.3
    (grad,) = torch.autograd.grad(score, x_hat)
    return p.lam * float((grad.norm() - 1) ** 2)


@oracle("wgan-lipschitz-linear")
def _(p):
    return float(np.linalg.norm(np.array([[p.a, p.b], [p.c, p.d]]), 2))


@oracle("wgan-lipschitz-leaky", rel=1e-9)
def _(p):
    xs = torch.linspace(-5, 5, 2001, dtype=F64)
    ys = p.w2 * F.leaky_relu(p.w1 * xs, negative_slope=p.al)
    return float((ys.diff() / xs.diff()).abs().max())


def linear_lipschitz(w: torch.Tensor, create_graph: bool = False) -> torch.Tensor:
    """The Lipschitz constant of the critic x -> w . x: the norm of its input gradient (autograd)."""
    x = torch.zeros_like(w, requires_grad=True)
    (grad,) = torch.autograd.grad(w @ x, x, create_graph=create_graph)
    return grad.norm()


@oracle("wgan-clip-bound")
def _(p):
    """Projected gradient ascent of the critic's Lipschitz constant over the clipped weights."""
    n, c = int(p.n), p.c
    w = (torch.rand(n, generator=torch.Generator().manual_seed(n), dtype=F64) * 2 - 1) * c
    for _ in range(60):
        w.requires_grad_(True)
        (step,) = torch.autograd.grad(linear_lipschitz(w, create_graph=True), w)
        w = (w + c * step / step.abs().max()).clamp(-c, c).detach()
    assert bool((w.abs() == c).all()), "the ascent did not reach a corner of the box"
    return float(linear_lipschitz(w))


@functools.lru_cache(maxsize=None)
def unit_directions(count: int) -> torch.Tensor:
    angles = torch.linspace(0, 2 * math.pi, count, dtype=F64)
    return torch.stack([torch.cos(angles), torch.sin(angles)], dim=1)


@oracle("wgan-w1-dirac", rel=1e-7)
def _(p):
    """Kantorovich-Rubinstein duality: the largest f(a) - f(b) over 1-Lipschitz f, here over the
    unit-gradient linear critics f(x) = u . x, scanned over 200001 directions u."""
    return float((unit_directions(200001) @ (t(p.a1, p.a2) - t(p.b1, p.b2))).max())


@oracle("wgan-w1-gauss", rel=1e-6)
def _(p):
    """W1 = integral of |F_P - F_Q| on the line, by the trapezoid rule."""
    lo, hi = min(p.m1, p.m2) - 12 * p.sd, max(p.m1, p.m2) + 12 * p.sd
    xs = torch.linspace(lo, hi, 4001, dtype=F64)
    gap = (torch.special.ndtr((xs - p.m1) / p.sd) - torch.special.ndtr((xs - p.m2) / p.sd)).abs()
    return float(torch.trapezoid(gap, xs))


@oracle("wgan-w1-discrete")
def _(p):
    """A hundred equal atoms per distribution; on the line the optimal plan matches sorted atoms."""
    counts_p = [round(p.p0), round(p.p1), 100 - round(p.p0) - round(p.p1)]
    q0, q1 = round(p.p0 + p.m0), round(p.p1 - p.m0 - p.m3)
    counts_q = [q0, q1, 100 - q0 - q1]
    atoms_p = np.repeat([0, 1, 3], counts_p)
    atoms_q = np.repeat([0, 1, 3], counts_q)
    return float(np.abs(np.sort(atoms_p) - np.sort(atoms_q)).mean())


facts("wgan-disjoint-supports", {
    r"^\$\\mathrm\{JSD\}": (True, "the mixture puts 1/2 on each point, so each KL to it is log 2: JSD = log 2"),
    r"^\$W_1": (True, "the only coupling moves the unit mass a distance |theta|"),
    r"derivative": (True, "a constant JSD has zero derivative: no signal for the generator"),
    r"mathrm\{KL\}": (False, "disjoint supports: P puts mass where Q_theta has none, so the KL is infinite"),
    r"^Both": (False, "W_1 = |theta| changes with theta; only the JSD is constant"),
})
facts("wgan-clip-facts", {
    r"^Clipping every weight": (True, "bounded weights give a K-Lipschitz critic, K set by c and the architecture"),
    r"threshold": (True, "the WGAN-GP paper: too small a c vanishes gradients, too large trains slowly"),
    r"^WGAN-GP": (True, "WGAN-GP replaces clipping with the gradient penalty at interpolates"),
    r"exactly 1-Lipschitz": (False, "clipping bounds the constant by some K, not exactly 1"),
    r"sigmoid": (False, "the WGAN critic outputs an unbounded score, no sigmoid, no probability"),
})


# ---------------------------------------------------------------- vae


def kl_to_standard(mu, std) -> float:
    """KL(N(mu, std^2) || N(0, 1)) summed over dimensions, by torch.distributions."""
    return float(kl_divergence(normal(mu, std), normal(0.0, 1.0)).sum())


@oracle("vae-kl-diag")
def _(p):
    return kl_to_standard([p.m1, p.m2], [math.exp(p.s1 / 2), math.exp(p.s2 / 2)])


@oracle("vae-kl-two-gauss")
def _(p):
    return float(kl_divergence(normal(p.m1, p.s1), normal(p.m2, p.s2)))


@oracle("vae-elbo-gauss")
def _(p):
    recon = normal(t(p.y1, p.y2), 1.0).log_prob(t(p.x1, p.x2)).sum()
    return float(recon) - kl_to_standard([p.mu], [math.exp(p.s / 2)])


@oracle("vae-beta-loss")
def _(p):
    return p.rl + p.bt * kl_to_standard([p.m1, p.m2], [math.sqrt(p.v1), math.sqrt(p.v2)])


@oracle("vae-reparam-z")
def _(p):
    """The sample is the N(mu, sigma^2) quantile at the standard-normal level of eps."""
    level = torch.special.ndtr(torch.tensor(p.ep, dtype=F64))
    return float(normal(p.mu, math.sqrt(math.exp(p.s))).icdf(level))


@oracle("vae-reparam-dlogvar")
def _(p):
    return grad_of(lambda s: p.mu + torch.exp(s / 2) * p.ep, p.s)


@oracle("vae-loss-grad-mu")
def _(p):
    def loss(mu):
        std = torch.exp(torch.tensor(p.s / 2, dtype=F64))
        z = mu + std * p.ep
        return 0.5 * (z - p.y) ** 2 + kl_divergence(normal(mu, std), normal(0.0, 1.0))

    return grad_of(loss, p.mu)


@oracle("vae-kl-grad-expr", domain=(-2.0, 2.0))
def _(p, s):
    return grad_of(lambda s_: p.bt * kl_divergence(normal(0.7, torch.exp(s_ / 2)), normal(0.0, math.sqrt(p.tau2))), s)


# ---------------------------------------------------------------- diffusion


def forward_moments(betas) -> tuple[float, float]:
    """(coefficient of x_0, noise variance) after running x_s = sqrt(1-b) x_{s-1} + sqrt(b) e step by step."""
    coef, var = 1.0, 0.0
    for b in betas:
        coef, var = math.sqrt(1 - b) * coef, (1 - b) * var + b
    return coef, var


def posterior(beta_t: float, abar_prev: float, x0: float, xt: float) -> tuple[float, float]:
    """Mean and variance of x_{t-1} given x_t and x_0, by multiplying the two Gaussian factors."""
    prior_mean, prior_var = math.sqrt(abar_prev) * x0, 1 - abar_prev  # q(x_{t-1} | x_0)
    gain = math.sqrt(1 - beta_t)  # q(x_t | x_{t-1}) = N(gain x_{t-1}, beta_t)
    precision = 1 / prior_var + gain**2 / beta_t
    mean = (prior_mean / prior_var + gain * xt / beta_t) / precision
    return mean, 1 / precision


@oracle("ddpm-alpha-bar")
def _(p):
    betas = np.linspace(p.b1, p.b2, int(p.T))
    return float(np.prod(1 - betas[: int(p.t)]))


@oracle("ddpm-alpha-bar-cosine")
def _(p):
    """Through the betas, as an implementation builds the schedule."""
    T, s = int(p.T), 0.008
    f = np.cos((np.arange(T + 1) / T + s) / (1 + s) * np.pi / 2) ** 2
    betas = np.clip(1 - f[1:] / f[:-1], 0, 0.999)
    return float(np.cumprod(1 - betas)[round(p.k * T / 100) - 1])


@oracle("ddpm-snr")
def _(p):
    coef, var = forward_moments([p.bb] * int(p.t))
    return coef**2 / var


@oracle("ddpm-snr-crossing")
def _(p):
    coef, var, step = 1.0, 0.0, 0
    while coef**2 > var:
        coef, var, step = math.sqrt(1 - p.bb) * coef, (1 - p.bb) * var + p.bb, step + 1
    return float(step)


@oracle("ddpm-signal-coef")
def _(p):
    return forward_moments([p.bb] * int(p.t))[0]


@oracle("ddpm-xt")
def _(p):
    """x_t as the N(sqrt(ab) x0, 1 - ab) quantile at the standard-normal level of eps."""
    level = torch.special.ndtr(torch.tensor(p.ep, dtype=F64))
    return float(normal(math.sqrt(p.ab) * p.x0, math.sqrt(1 - p.ab)).icdf(level))


@oracle("ddpm-pred-x0")
def _(p):
    """The x_0 that the forward jump, with the predicted noise, sends to x_t: found by bisection."""
    return bisect(lambda x0: math.sqrt(p.ab) * x0 + math.sqrt(1 - p.ab) * p.eh, p.xt, -100.0, 100.0)


@oracle("ddpm-posterior-mean")
def _(p):
    return posterior(p.bt, p.ap, p.x0, p.xt)[0]


@oracle("ddpm-posterior-var")
def _(p):
    return posterior(p.bt, p.ap, 0.0, 0.0)[1]


@oracle("ddim-step")
def _(p):
    """DDIM with eta = 0 follows the probability-flow ODE exactly when the data are one point, whose
    noise prediction is then constant. Find that point by bisection (the x0 that the forward process,
    fed the predicted noise, takes to x_t), then integrate dx/d(ab) = (x + score(x, ab)) / (2 ab) from
    ab to ab_prev by RK4, with the point mass's score -(x - sqrt(ab) x0) / (1 - ab)."""
    x0 = bisect(lambda v: math.sqrt(p.ab) * v + math.sqrt(1 - p.ab) * p.eh, p.xt, -100.0, 100.0)

    def slope(level: float, x: float) -> float:
        return (x - (x - math.sqrt(level) * x0) / (1 - level)) / (2 * level)

    x, level, steps = p.xt, p.ab, 2000
    h = (p.ap - p.ab) / steps
    for _ in range(steps):
        k1 = slope(level, x)
        k2 = slope(level + h / 2, x + h / 2 * k1)
        k3 = slope(level + h / 2, x + h / 2 * k2)
        k4 = slope(level + h, x + h * k3)
        x, level = x + h / 6 * (k1 + 2 * k2 + 2 * k3 + k4), level + h
    return x


@oracle("cfg-guidance")
def _(p):
    """Guidance samples p(x) p(c|x)^w, p(c|x) = p(x|c) / p(x) (Bayes). With eps = -sigma * score,
    take Gaussian p(x) and p(x|c) whose eps at x are the two predictions; the guided eps is -sigma
    times the autograd score of log p(x) + w (log p(x|c) - log p(x))."""
    x, sigma = 0.3, 0.7
    unconditional, conditional = (normal(x - e * sigma, sigma) for e in (p.eu, p.ec))  # eps = (x - m) / sigma

    def log_guided(v):
        log_u, log_c = unconditional.log_prob(v), conditional.log_prob(v)
        return log_u + p.w * (log_c - log_u)

    return -sigma * grad_of(log_guided, x)


@oracle("cfg-convention")
def _(p):
    """In eps_u + s (eps_c - eps_u), s is the weight on eps_c: the derivative of the first codebase's
    guided eps with respect to eps_c (autograd), then checked on random pairs of predictions."""
    def first(eps_u, eps_c):
        return eps_c + p.w * (eps_c - eps_u)  # (1 + w) eps_c - w eps_u, expanded

    eps_c = torch.tensor(-0.8, dtype=F64, requires_grad=True)
    (s,) = torch.autograd.grad(first(torch.tensor(0.3, dtype=F64), eps_c), eps_c)
    pairs_u, pairs_c = torch.randn(2, 16, generator=torch.Generator().manual_seed(0), dtype=F64)
    assert torch.allclose(pairs_u + s * (pairs_c - pairs_u), first(pairs_u, pairs_c), rtol=0, atol=1e-12)
    return float(s)


@oracle("ldm-compression")
def _(p):
    side = int(p.H)
    pixels = torch.empty(3, side, side).numel()
    latents = torch.empty(int(p.c), side // int(p.f), side // int(p.f)).numel()
    return pixels / latents


# ---------------------------------------------------------------- flows


def normal_mass(z_lo: float, z_hi: float) -> float:
    """P(z_lo < Z < z_hi) for a standard normal, from the tail that keeps precision."""
    if z_lo > 0:
        return 0.5 * (math.erfc(z_lo / math.sqrt(2)) - math.erfc(z_hi / math.sqrt(2)))
    return 0.5 * (math.erfc(-z_hi / math.sqrt(2)) - math.erfc(-z_lo / math.sqrt(2)))


def log_density_from_cdf(z_of_x, x: float, h: float = 1e-5) -> float:
    """log p_x(x) by a central difference of the CDF P(X <= x) = Phi(z(x)), z increasing or decreasing."""
    z1, z2 = sorted((z_of_x(x - h), z_of_x(x + h)))
    return math.log(normal_mass(z1, z2) / (2 * h))


def log_abs_det(fn, point: torch.Tensor) -> float:
    jac = torch.autograd.functional.jacobian(fn, point)
    return float(torch.linalg.slogdet(jac).logabsdet)


@oracle("flow-affine-logp", rel=1e-6)
def _(p):
    return log_density_from_cdf(lambda x: (x - p.b) / p.a, p.x0)


@oracle("flow-coupling-logdet")
def _(p):
    """A concrete coupling layer whose s and t networks output the given values at x_a."""
    gen = torch.Generator().manual_seed(1)
    x_a0, x_b0 = torch.randn(2, generator=gen, dtype=F64), torch.randn(2, generator=gen, dtype=F64)
    w_s, w_t = torch.randn(2, 2, generator=gen, dtype=F64), torch.randn(2, 2, generator=gen, dtype=F64)
    s0, t0 = t(p.s1, p.s2), t(p.t1, p.t2)

    def layer(x):
        x_a, x_b = x[:2], x[2:]
        s = s0 + torch.tanh(w_s @ (x_a - x_a0))
        shift = t0 + w_t @ (x_a - x_a0) ** 2
        return torch.cat([x_a, x_b * torch.exp(s) + shift])

    return log_abs_det(layer, torch.cat([x_a0, x_b0]))


@oracle("flow-planar-logdet")
def _(p):
    u, w = t(p.u1, p.u2), t(p.w1, p.w2)
    return log_abs_det(lambda z: z + u * torch.tanh(w @ z + p.bb), t(p.z1, p.z2))


@oracle("flow-leaky-logdet")
def _(p):
    return log_abs_det(lambda x: F.leaky_relu(x, negative_slope=p.al), t(p.x1, p.x2, p.x3, p.x4))


@oracle("flow-logdet-expr", rel=1e-7, domain=(-3.0, 3.0))
def _(p, x):
    f = lambda v: p.a * v + p.b * math.tanh(v)  # noqa: E731
    h = 1e-5
    return math.log(abs(f(x + h) - f(x - h)) / (2 * h))


@oracle("flow-lognormal-logp", rel=1e-6)
def _(p):
    return log_density_from_cdf(lambda x: (math.log(x) - p.b) / p.a, p.x0, h=1e-6)


# ---------------------------------------------------------------- evaluation


def psd_sqrt(mat: np.ndarray) -> np.ndarray:
    """Symmetric square root of a positive semi-definite matrix, by eigendecomposition (no scipy)."""
    vals, vecs = np.linalg.eigh(mat)
    return (vecs * np.sqrt(np.clip(vals, 0, None))) @ vecs.T


def frechet(mu1, cov1, mu2, cov2) -> float:
    """Squared 2-Wasserstein distance of two Gaussians, using tr((S1 S2)^1/2) = tr((S1^1/2 S2 S1^1/2)^1/2)."""
    root1 = psd_sqrt(cov1)
    cross = psd_sqrt(root1 @ cov2 @ root1)
    gap = np.asarray(mu1, float) - np.asarray(mu2, float)
    return float(gap @ gap + np.trace(cov1) + np.trace(cov2) - 2 * np.trace(cross))


@oracle("eval-fid-diag")
def _(p):
    return frechet([p.a1, p.a2], np.diag([p.v11, p.v12]), [p.b1, p.b2], np.diag([p.v21, p.v22]))


@oracle("eval-fid-iso")
def _(p):
    return frechet([p.c1, p.c2], p.a * np.eye(2), [p.d1, p.d2], np.array([[p.sp, p.sr], [p.sr, p.sq]]))


@oracle("eval-inception-score")
def _(p):
    """exp of the mutual information between image and label: H(p(y)) - E_x H(p(y|x))."""
    preds = np.array([[p.pa, 1 - p.pa], [p.pb, 1 - p.pb]])
    mutual_info = entropy(preds.mean(axis=0)) - np.mean([entropy(row) for row in preds])
    return math.exp(mutual_info)


@oracle("eval-bpd", rel=1e-9)
def _(p):
    """Bits per dimension b: one bit halves a probability, so 2**-b is the per-dimension share of the
    image's probability exp(-nll), i.e. 2**b = exp(nll / dims); solved by bisection, no logarithm."""
    dims = int(p.side) ** 2 * int(p.ch)
    return bisect(lambda b: 2.0**b, math.exp(p.nll / dims), 0.0, 64.0)


facts("eval-fid-vs-is", {
    r"^FID compares": (True, "FID compares real and generated feature statistics; IS sees generated images only"),
    r"^A lower FID": (True, "FID is a distance (lower better); IS is an exp of a KL (higher better)"),
    r"one fixed image per class": (True, "IS rewards confident, class-diverse outputs, blind to intra-class variety"),
    r"^The Inception Score is the Frechet": (False, "IS is exp E KL(p(y|x) || p(y)); the Frechet distance is FID"),
    r"negative": (False, "FID is a squared distance between Gaussians: never negative"),
})


# ---------------------------------------------------------------- concepts

facts("concept-mode-collapse", {
    r"^Mode collapse": (True, "crisp samples of one class for almost every z, the mode hopping as D adapts"),
    r"^Posterior collapse": (False, "a VAE failure: the decoder ignores z; this model is a GAN"),
    r"^Vanishing": (False, "the generator keeps learning (it hops between modes)"),
    r"^Memorisation": (False, "copies of training images would vary with z across classes"),
})
facts("concept-exact-likelihood", {
    r"normalizing flow": (True, "a flow is invertible: change of variables gives log p(x) exactly, in one pass"),
    r"variational autoencoder": (False, "the ELBO is a lower bound, not the likelihood"),
    r"\bGAN\b": (False, "a GAN defines no density to evaluate"),
    r"\bDDPM\b": (False, "the simplified loss is a reweighted bound, and sampling takes T steps"),
})
facts("concept-fast-sharp", {
    r"^A GAN": (True, "one generator pass per image, and adversarial training gives sharp samples"),
    r"\bDDPM\b": (False, "1000 network evaluations per image"),
    r"PixelCNN": (False, "one network evaluation per pixel"),
    r"\bVAE\b": (False, "a squared-error decoder averages: blurry samples"),
})
facts("concept-loss-pairs", {
    r"^DDPM": (True, "Ho et al.: the noise-prediction MSE at a uniformly drawn step"),
    r"^Vanilla GAN": (True, "D is a classifier trained with binary cross-entropy, real 1, fake 0"),
    r"^VAE": (True, "the negative ELBO: reconstruction plus KL to the prior"),
    r"^WGAN": (False, "the critic has no sigmoid; its loss is a difference of mean scores"),
    r"^Normalizing flow": (False, "a flow's density is exact: it trains by maximum likelihood"),
})
facts("concept-kl-term", {
    r"prior": (True, "the KL to the prior regularises the codes so that prior samples decode well"),
    r"reconstructs": (False, "that is the first term, the expected log-likelihood"),
    r"differentiable": (False, "that is the reparameterisation trick, not a loss term"),
    r"mode collapse": (False, "a GAN notion; a VAE has no discriminator"),
})
facts("concept-wgan-gp", {
    r"^Clipping biases": (True, "Gulrajani et al.: clipping biases the critic to simple functions, gradients vanish or explode"),
    r"sigmoid": (False, "a WGAN critic never outputs probabilities"),
    r"removes the need": (False, "the penalty enforces the Lipschitz condition softly; it does not remove it"),
    r"GPUs": (False, "clipping is cheap; the paper's reasons are capacity and gradients"),
})
facts("concept-beta-vae", {
    r"pulled harder toward the prior": (True, "beta > 1 weighs the KL more: more disentangled codes, blurrier outputs"),
    r"sharper": (False, "a heavier KL costs reconstruction quality, it does not improve it"),
    r"^Nothing changes": (False, "the KL depends on the encoder's outputs at every step"),
    r"mode collapse": (False, "a GAN failure, not a beta-VAE effect"),
})

@functools.lru_cache(maxsize=None)
def gda_dimension(classes: int, dims: int) -> int:
    """The number of free parameters of Gaussian discriminant analysis (shared covariance), found as the rank
    of the Jacobian of log p(x, y) at many points with respect to an overcomplete parameterisation
    (class logits, means, and a square root A of the covariance A A^T + I)."""
    g = torch.Generator().manual_seed(classes * 100 + dims)
    sizes = (classes, classes * dims, dims * dims)
    theta = torch.randn(sum(sizes), dtype=F64, generator=g)
    points = sum(sizes) + 20
    xs = torch.randn(points, dims, dtype=F64, generator=g)
    ys = torch.randint(classes, (points,), generator=g)

    def log_joint(theta: torch.Tensor) -> torch.Tensor:
        logits, means, root = torch.split(theta, sizes)
        cov = root.view(dims, dims) @ root.view(dims, dims).T + torch.eye(dims, dtype=F64)
        gap = xs - means.view(classes, dims)[ys]
        quad = (gap @ torch.linalg.inv(cov) * gap).sum(1)
        return torch.log_softmax(logits, 0)[ys] - quad / 2 - torch.logdet(cov) / 2

    jac = torch.autograd.functional.jacobian(log_joint, theta, vectorize=True)
    return int(torch.linalg.matrix_rank(jac))


@oracle("concept-generative-params")
def _(p):
    return gda_dimension(int(p.nk), int(p.d))


# ---------------------------------------------------------------- gan practice and architecture


def golden_max(fn, lo: float, hi: float) -> float:
    """The maximiser of a unimodal fn on [lo, hi], by golden-section search."""
    ratio = (math.sqrt(5) - 1) / 2
    for _ in range(200):
        a, b = hi - ratio * (hi - lo), lo + ratio * (hi - lo)
        lo, hi = (a, hi) if fn(a) < fn(b) else (lo, b)
    return (lo + hi) / 2


def smoothed_dstar(alpha: float, real: float, fake: float) -> float:
    """The discriminator output that maximises the pointwise cross-entropy objective with real target alpha."""
    objective = lambda d: real * (alpha * math.log(d) + (1 - alpha) * math.log(1 - d)) + fake * math.log(1 - d)  # noqa: E731
    return golden_max(objective, 1e-12, 1 - 1e-12)


@oracle("gan-label-smoothing")
def _(p):
    return smoothed_dstar(p.al, p.pd, p.pg)


@oracle("gan-ttur-spiral")
def _(p):
    """Two simultaneous steps, each player's gradient of V = x y taken by autograd at the same point."""
    x, y = torch.tensor(p.x0, dtype=F64), torch.tensor(p.y0, dtype=F64)
    for _ in range(2):
        xg, yg = x.clone().requires_grad_(), y.clone().requires_grad_()
        dx, dy = torch.autograd.grad(xg * yg, (xg, yg))
        x, y = x - p.a * dx, y + p.b * dy
    return float(x**2 + y**2)


@functools.lru_cache(maxsize=None)
def transposed_side(side: int, layers: int, kernel: int, padding: int) -> int:
    """The side of the output of a real stack of ConvTranspose2d layers (stride 2)."""
    stack = [torch.nn.ConvTranspose2d(1, 1, kernel, stride=2, padding=padding) for _ in range(layers)]
    with torch.no_grad():
        return torch.nn.Sequential(*stack)(torch.zeros(1, 1, side, side)).shape[-1]


@oracle("gan-dcgan-size")
def _(p):
    return float(transposed_side(int(p.s0), int(p.nl), int(p.k), int(p.pd)))


@oracle("gan-training-claims")
def _(p):
    """(D* with smoothed labels, the same, KL(p_g || p_data), the generator's class entropy twice)."""
    dstar = smoothed_dstar(p.al, p.pd, p.pg)
    nk, nm = int(p.nk), int(p.nm)
    data, gen = np.full(nk, 1 / nk), np.r_[np.full(nm, 1 / nm), np.zeros(nk - nm)]
    kl = float(sum(g * math.log(g / d) for g, d in zip(gen, data) if g > 0))
    return dstar, dstar, kl, entropy(gen[gen > 0]), entropy(gen[gen > 0])


# ---------------------------------------------------------------- the ELBO gap and the reverse step


def log_normal(x, mean, var):
    """The log-density of N(mean, var) at x (numpy, elementwise)."""
    return -((x - mean) ** 2) / (2 * var) - np.log(2 * np.pi * var) / 2


@functools.lru_cache(maxsize=None)
def conjugate_evidence(x: float, noise_var: float, q_mean: float, q_var: float) -> tuple[float, float]:
    """(log p(x), ELBO of q) for z ~ N(0, 1), x | z ~ N(z, noise_var): the evidence from its marginal (torch), the
    ELBO by numerical integration of q(z) [log p(x | z) + log p(z) - log q(z)] over z (trapezoid rule)."""
    evidence = float(normal(0.0, math.sqrt(1 + noise_var)).log_prob(torch.tensor(x, dtype=F64)))
    sd = math.sqrt(q_var)
    z = np.linspace(q_mean - 12 * sd, q_mean + 12 * sd, 4001)
    log_q = log_normal(z, q_mean, q_var)
    integrand = np.exp(log_q) * (log_normal(x, z, noise_var) + log_normal(z, 0.0, 1.0) - log_q)
    return evidence, float(np.trapezoid(integrand, z))


@oracle("vae-elbo-gap")
def _(p):
    evidence, elbo = conjugate_evidence(p.x0, p.s2, p.m, p.v)
    return evidence - elbo


@oracle("vae-elbo-gap-claims")
def _(p):
    """(log p(x), ELBO, ELBO, gap, gap): what each option speaks of."""
    evidence, elbo = conjugate_evidence(p.x0, p.s2, p.m, p.v)
    return evidence, elbo, elbo, evidence - elbo, evidence - elbo


def reverse_mean(p) -> tuple[float, float]:
    """(x0_hat, mean): x0_hat by bisection through the forward jump, the mean as the mean of q(x_{t-1} | x_t, x0_hat)."""
    x0 = bisect(lambda x: math.sqrt(p.ab) * x + math.sqrt(1 - p.ab) * p.eh, p.xt, -100.0, 100.0)
    return x0, posterior(p.bt, p.ab / (1 - p.bt), x0, p.xt)[0]


@oracle("ddpm-reverse-step")
def _(p):
    return reverse_mean(p)[1] + math.sqrt(p.bt) * p.z


@oracle("ddpm-reverse-claims")
def _(p):
    """(x0_hat, mean, mean, noise scale, noise scale); the scale is the standard deviation of N(0, beta_t)."""
    x0, mean = reverse_mean(p)
    scale = float(normal(0.0, 1.0).stddev) * math.sqrt(p.bt)
    return x0, mean, mean, scale, scale


# ---------------------------------------------------------------- autoencoders, energy, autoregressive


@oracle("ae-interp-norm")
def _(p):
    """c4's convention: torch.linspace weights, both ends included; the norm of the j-th row."""
    za, zb = t(p.a1, p.a2, p.a3), t(p.b1, p.b2, p.b3)
    weights = torch.linspace(0, 1, int(p.n), dtype=F64)[:, None]
    points = (1 - weights) * za + weights * zb
    return float(torch.linalg.norm(points[int(p.j) - 1]))


@oracle("ae-param-count")
def _(p):
    d, h, k = int(p.d), int(p.h), int(p.k)
    net = torch.nn.Sequential(torch.nn.Linear(d, h), torch.nn.ReLU(), torch.nn.Linear(h, k),
                              torch.nn.Linear(k, h), torch.nn.ReLU(), torch.nn.Linear(h, d))
    return float(sum(w.numel() for w in net.parameters()))


@oracle("ebm-langevin-step")
def _(p):
    """The drift from autograd's gradient of the energy."""
    slope = grad_of(lambda x: p.c * (x**2 - 1) ** 2, p.x0)
    return p.x0 - p.eta / 2 * slope + math.sqrt(p.eta) * p.z


@oracle("ar-mask-weights")
def _(p):
    """Mask A built position by position (strictly before the centre in raster order), applied to a kernel of ones."""
    k, centre = int(p.k), int(p.k) // 2
    mask = torch.tensor([[float((r, c) < (centre, centre)) for c in range(k)] for r in range(k)], dtype=F64)
    weight = torch.ones(int(p.co), int(p.ci), k, k, dtype=F64) * mask
    return float(torch.count_nonzero(weight))


@functools.lru_cache(maxsize=None)
def mlp_parameters(layers: int, width: int) -> int:
    """The trainable parameters of a real stack of Linear(width, width) layers."""
    net = torch.nn.Sequential(*[torch.nn.Linear(width, width) for _ in range(layers)])
    return sum(w.numel() for w in net.parameters())


@oracle("gan-stylegan-mapping")
def _(p):
    return float(mlp_parameters(int(p.nl), int(p.w)))
