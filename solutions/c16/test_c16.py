"""Hidden checks of exercise c16, ddpm_sample(eps_model, shape, noise_schedule, generator=None).

The model handed to the student's code is the exact eps of Gaussian data N(2, 0.3^2), affine
in x, so a correct sampler's output is exactly Gaussian: its mean and variance are propagated
here through the T = 6 steps (grader.check.gaussian; each step's affine map derived again from
eps_affine and an explicit running product), and the samples (~9000 values), standardized by
that law, are tested as N(0, 1): KS distance, tails and the first two moments (grader.check.stats,
each test <= 1e-8; 3 tests). Known wrong samplers (noise at t = 0, the posterior variance, t
ascending, alpha_t for alpha_bar_t) have laws of their own, computed the same way (variances 0.58
to 8.9 times the right one, or means 0.28 sd or more apart); a mistake is named only when the samples fit its law. The
recording of the model's calls (T calls, t descending as LongTensors (B,), x without a graph) is
made in the sandbox, as is whether torch's global random state moved while a generator was
given; reproducibility with seeded generators is judged from the samples themselves, and with
generator=None a call right after another must give other samples (the global state moves on).
"""

import pytest
import torch

from grader.check import expect, stats
from grader.check.diffusion import seeded_runs_verdict
from grader.check.expect import mistake
from grader.check.gaussian import Gaussian, alpha_bars, eps_affine
from grader.check.wire import TensorValue

from .probes import BETAS, DATA_MEAN, DATA_STD, F64, SMALL, T, law_shape, shape_cases

AB = alpha_bars(BETAS)
B64 = BETAS.to(F64)


def sampler_law(order=None, noise_at_0=False, posterior=False, alpha_bar=None):
    """The law of the samples, right by default; each keyword turns one known mistake on."""
    law = Gaussian(torch.zeros((), dtype=F64), torch.ones((), dtype=F64))
    for t in order or range(T - 1, -1, -1):
        c, d = eps_affine(BETAS, t, DATA_MEAN, DATA_STD)
        ab = AB[t] if alpha_bar is None else alpha_bar[t]
        k, root_alpha = B64[t] / (1 - ab).sqrt(), (1 - B64[t]).sqrt()
        variance = B64[t] * ((1 - (AB[t - 1] if t > 0 else 1.0)) / (1 - AB[t]) if posterior else 1.0)
        law = law.affine((1 - k * c) / root_alpha, -k * d / root_alpha, variance if t > 0 or noise_at_0 else 0.0)
    return law


KNOWN_LAWS = {
    "noise-at-t0": sampler_law(noise_at_0=True),
    "posterior-variance": sampler_law(posterior=True),
    "ascending-t": sampler_law(order=range(T)),
    "alpha-for-alpha-bar": sampler_law(alpha_bar=1 - B64),
}


def fits(samples, law) -> bool:
    z = law.standardize(samples)
    return stats.looks_standard_normal(z)[0] and stats.moments_mismatch(z) is None and stats.tails_mismatch(z) is None


def samples_of(entry, shape):
    return expect.judgeable(expect.returned(entry), f"a tensor of shape {shape}", shape=shape)


# --- the public check -------------------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_samples_of_the_shape_and_dtype(shapes, seed):
    """returns a tensor of `shape` in the schedule's dtype ((N, 2) points, batch 1, an image batch in float32)"""
    for i, (shape, dtype) in enumerate(shape_cases(seed)):
        value = expect.returned(shapes[f"case{i}"])
        if value is None:
            mistake("no-return", "your function returned None: end it with `return x`")
        what = f"the samples for shape {shape} (a {str(dtype)[6:]} schedule)"
        expect.tensor(value, what, shape=shape, dtype=str(dtype)[6:])


# --- the model's calls -------------------------------------------------------------------------------

@pytest.mark.points(1)
def test_model_called_t_times_descending(law, seed):
    """eps_model is called exactly T times, with t = T-1, ..., 0 as LongTensors (B,)"""
    expect.returned(law)
    b = law_shape(seed)[0]
    ts = []
    for call in law["seen"]:
        t = call["t"]
        if isinstance(t, int) or (isinstance(t, TensorValue) and t.shape in ((), (1,))):
            mistake("model-t-not-batched", f"eps_model got t = {expect.kind_of(t)}; it takes a LongTensor of shape "
                    f"({b},): torch.full((B,), t, dtype=torch.long, device=...)")
        if not (isinstance(t, TensorValue) and t.dtype == "int64" and t.shape == (b,) and t.data is not None
                and bool((t.data == t.data[0]).all())):
            mistake(None, f"eps_model got t = {expect.kind_of(t)}; expected a LongTensor of shape ({b},) holding one step")
        ts.append(int(t.data[0]))
    if ts == list(range(T)):
        mistake("ascending-t", f"eps_model was called with t = {ts}: the reverse process runs from T-1 down to 0")
    if ts == list(range(T - 1, 0, -1)):
        mistake("skips-last-step", f"eps_model was called {law['calls']} times, with t = {ts}: the step at t = 0 "
                "(the one without noise) is missing: range(T - 1, -1, -1)")
    if law["calls"] != T or ts != list(range(T - 1, -1, -1)):
        mistake(None, f"eps_model was called {law['calls']} times with t = {ts[:12]}; expected {T} calls with "
                f"t = {list(range(T - 1, -1, -1))}")


# --- the samples' law ----------------------------------------------------------------------------------

@pytest.mark.points(3)
def test_samples_follow_the_exact_law(law, seed):
    """the samples follow the exact law of ancestral sampling (KS, tails and moments of the standardized samples)"""
    shape = law_shape(seed)
    samples = samples_of(law, shape)
    stats.require_finite(samples, what="the samples")
    right = sampler_law()
    z = right.standardize(samples)
    ok, distance, limit = stats.looks_standard_normal(z)
    failure = (not ok and f"KS distance {distance:.3f} > {limit:.3f}") or stats.moments_mismatch(z) or stats.tails_mismatch(z)
    if not failure:
        return
    name = next((key for key, wrong in KNOWN_LAWS.items() if fits(samples, wrong)), None)
    if name is None and int((samples == 1).sum()) > samples.numel() // 4 and float(samples.max()) == 1.0:
        name = "clamps-output"
    mistake(name, f"the samples (shape {shape}) have mean {float(samples.mean()):.3f} and variance "
            f"{float(samples.var()):.3f}; ancestral sampling with this model gives mean {float(right.mean):.3f} and "
            f"variance {float(right.var):.3f} (standardized: {failure})")


# --- randomness ------------------------------------------------------------------------------------------

@pytest.mark.points(2)
def test_generator_gives_every_draw(reproducible):
    """with a generator, every draw comes from it: the same seed gives the same samples, another seed others, and torch's global random state is left alone"""
    runs = [expect.reading(expect.returned(reproducible[f"run{i}"]), SMALL) for i in range(3)]
    if any(r is None for r in runs):
        expect.not_judged("the samples are not a tensor of the shape asked for (see the public check)")
    if not torch.equal(runs[0], runs[1]) or reproducible["state_moved"]:
        what = ("two runs with generators seeded alike gave different samples" if not torch.equal(runs[0], runs[1]) else
                "with a generator given, your sampler still drew from torch's global generator (its state moved)")
        mistake("ignores-generator", f"{what}: pass generator=generator to every draw, the start and each step's noise")
    if torch.equal(runs[0], runs[2]):
        mistake(None, "generators with different seeds gave the same samples: draw from the generator passed in")


@pytest.mark.points(1)
def test_global_generator_without_one(global_seed):
    """with generator=None, the draws follow torch.manual_seed (same seed, same samples; another seed, others; two calls in a row, others)"""
    seeded_runs_verdict(global_seed, SMALL, "samples")
    last, following = (expect.reading(expect.returned(global_seed[k]), SMALL) for k in ("other", "next"))
    if following is None or torch.equal(last, following):
        mistake(None, "with generator=None two calls in a row gave the same samples: draw from torch's global generator "
                "(torch.randn(shape, dtype=..., device=...)), whose state moves on with every draw, not from a "
                "generator of your own seeded afresh at each call")


# --- no graph, device -------------------------------------------------------------------------------------

@pytest.mark.points(1)
def test_no_graph_kept(law):
    """sampling keeps no autograd graph (torch.no_grad()): the samples, and the x passed to the model, need no grad"""
    value = expect.returned(law)
    expect.judgeable(value, "a tensor")
    kept = [i for i, call in enumerate(law["seen"]) if call["x_grad"]]
    if value.requires_grad or kept:
        mistake("keeps-graph", "your samples carry an autograd graph through all the steps (the model has trainable "
                "parameters): sample under torch.no_grad() (a decorator or a with block), which also saves memory")


@pytest.mark.points(1)
def test_result_on_the_schedule_device(device):
    """the samples are made on the schedule's device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the samples")
