"""Hidden checks of exercise c12, ddpm_loss(eps_model, x0, noise_schedule).

The loss is random, so nothing compares it with one seed's number. The eps model handed to
the student's code records every call; from the recorded x_t and t and the known x0 the grader
recovers the noise, noise = (x_t - sqrt(ab_t) x0) / sqrt(1 - ab_t) (ab by an explicit running
product, grader.check.gaussian), recomputes the model's prediction from its closed form
(eps_affine, derived on this side) and so the exact loss the code should have returned; when
it differs, known wrong formulas (x0 as the target, alpha_t for alpha_bar_t, t shifted by one,
sums for means) are evaluated on the same recording, and a mistake is named only when its
formula gives the student's loss in every wrong case. The t drawn are tested bucket by bucket
for uniformity on {0..T-1} (T = 12, ~3500 draws), then for independence across the batch: each
t alone stays uniform when half the batch is derived from the other (antithetic T - 1 - t), so
(t_i + t_(i+lag)) mod T over disjoint pairs is tested for uniformity at lags 1, B // 2 and
B // 2 + 1 (multinomial counts, <= 1e-8 per lag). The recovered noise is tested as a fresh
standard normal (distribution, tails, repeats, sharing across two calls, serial structure,
following torch.manual_seed). grader.check.stats, each test <= 1e-8, at most 12 tests here.
The recording is made in the sandbox; a forged one would have to agree with the loss returned.
"""

import pytest
import torch

from grader.check import expect, stats
from grader.check.diffusion import seeded_runs_verdict, t_device_verdict
from grader.check.expect import mistake
from grader.check.gaussian import alpha_bars
from grader.check.wire import TensorValue

from .probes import BETAS, DATA_MEAN, DATA_STD, F32, F64, SEEDS_SHAPE, T, basic_cases, data, sample_shape

AB = alpha_bars(BETAS)
ALPHA = 1 - BETAS.to(F64)


def tolerance(dtype):
    """Formulas to 1e-5 (float64; schedules kept in float32 buffers, as real code does, err ~1e-7)."""
    return {"rtol": 1e-4, "atol": 1e-6} if dtype == F32 else {"rtol": 1e-5, "atol": 1e-9}


def per_sample(values, t, like):
    return values[t].reshape(-1, *([1] * (like.dim() - 1)))


def prediction(x_t, t):
    """The model's output, from its closed form: sqrt(1 - ab) (x_t - sqrt(ab) m) / (ab s^2 + 1 - ab)."""
    ab = per_sample(AB, t, x_t)
    return (1 - ab).sqrt() / (ab * DATA_STD**2 + 1 - ab) * (x_t - ab.sqrt() * DATA_MEAN)


def recovered(x_t, x0, t, ab=AB):
    """The noise with x_t = sqrt(ab_t) x0 + sqrt(1 - ab_t) noise."""
    a = per_sample(ab, t, x0)
    return (x_t - a.sqrt() * x0) / (1 - a).sqrt()


def call_of(entry):
    """(x_t, t) of the model's one call, as float64 and int64 tensors, or None."""
    seen = entry.get("seen") or []
    if len(seen) != 1 or len(seen[0]["args"]) < 2:
        return None
    x_t, t = seen[0]["args"][:2]
    if not (isinstance(x_t, TensorValue) and x_t.data is not None):
        return None
    t = t.data if isinstance(t, TensorValue) and t.data is not None else torch.tensor(t) if isinstance(t, int) else None
    if t is None or t.is_floating_point() or t.numel() not in (1, x_t.shape[0]) or t.min() < 0 or t.max() >= T:
        return None
    return x_t.data.to(F64), t.to(torch.int64).flatten().expand(x_t.shape[0])


def losses(x_t, x0, t):
    """The right loss and each known mistake's, for one recorded call."""
    pred, noise = prediction(x_t, t), recovered(x_t, x0, t)
    right = ((pred - noise) ** 2).mean()
    shifted = torch.cat([torch.ones(1, dtype=F64), AB[:-1]])
    wrong = {
        "x0-as-target": ((pred - x0) ** 2).mean(),
        "alpha-for-alpha-bar": ((pred - recovered(x_t, x0, t, ALPHA)) ** 2).mean(),
        "one-based-t": tuple(((pred - recovered(x_t, x0, t, ab)) ** 2).mean()
                             for ab in (shifted, torch.cat([AB[-1:], AB[:-1]]))),
        "loss-summed": (((pred - noise) ** 2).sum(), ((pred - noise) ** 2).flatten(1).sum(1).mean()),
    }
    return right, wrong


def loss_value(entry):
    """The loss as a float64 0-dim tensor once it is one number; else not judged."""
    return expect.judgeable(expect.returned(entry), "one number (a 0-dim tensor)", shape=())


def formula_holds(entry, x0) -> bool:
    """Whether the recorded x_t follows the forward jump with ab_t: the loss returned is the right
    one, or a known target or reduction mistake, on the noise recovered from it."""
    call = call_of(entry)
    value = expect.reading(expect.returned(entry), ())
    if call is None or value is None:
        return False
    right, wrong = losses(call[0], x0.to(F64), call[1])
    others = [wrong["x0-as-target"], *wrong["loss-summed"]]
    return any(expect.close(value, v, rtol=1e-4, atol=1e-6) for v in [right, *others])


# --- the public check --------------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_a_scalar_of_x0_dtype(basic, seed):
    """returns a finite 0-dim tensor of x0's dtype (batch 1, (B, D) and image batches)"""
    for i, (shape, dtype) in enumerate(basic_cases(seed)):
        value, what = expect.returned(basic[f"case{i}"]), f"the loss for x0 of shape {shape}"
        if value is None:
            mistake("no-return", f"{what}: your function returned None; end it with `return loss`")
        if isinstance(value, TensorValue) and value.shape == shape:
            mistake("loss-not-reduced", f"{what} has shape {value.shape}, one squared error per element: "
                    "take the mean over all elements")
        loss = expect.tensor(value, what, shape=(), dtype=str(dtype)[6:])
        if not torch.isfinite(loss):
            mistake(None, f"{what} is {float(loss)}")


# --- the model's call ---------------------------------------------------------------------------

@pytest.mark.points(1)
def test_model_called_once_on_x_t_with_long_t(basic, seed):
    """eps_model is called once, on a batch shaped like x0 (not x0 itself), with t a LongTensor (B,); inputs unchanged"""
    for i, (shape, dtype) in enumerate(basic_cases(seed)):
        entry, x0 = basic[f"case{i}"], data(shape, dtype, seed + 10 + i)
        expect.returned(entry)
        expect.unchanged(x0, entry["x0_after"], "x0")
        expect.unchanged(BETAS.to(dtype), entry["betas_after"], "noise_schedule")
        what = f"for x0 of shape {shape}"
        if entry["calls"] == shape[0] and shape[0] > 1:
            mistake("model-called-per-sample", f"{what} eps_model was called {entry['calls']} times, once per sample: "
                    "call it once, on the whole batch")
        calls = entry["calls"]
        if calls != 1:
            mistake(None, f"{what} eps_model was called {calls} times; call it exactly once, on the batch x_t")
        x_t, t = (entry["seen"][0]["args"] + [None, None])[:2]
        if not (isinstance(x_t, TensorValue) and x_t.shape == shape):
            mistake(None, f"{what} eps_model got {expect.kind_of(x_t)} as x_t; expected a batch of shape {shape}")
        if x_t.data is not None and torch.equal(x_t.data, x0):
            mistake("model-on-x0", f"{what} eps_model was called on x0 itself: call it on the noised x_t")
        if not (isinstance(t, TensorValue) and t.dtype == "int64" and t.shape == (shape[0],)):
            mistake(None, f"{what} eps_model got t = {expect.kind_of(t)}; expected a LongTensor of shape ({shape[0]},), "
                    "one step per sample (torch.randint(0, T, (B,), device=x0.device))")


# --- the loss's value ------------------------------------------------------------------------------

@pytest.mark.points(2)
def test_loss_is_the_mean_squared_noise_error(basic, seed):
    """loss = mean((eps_model(x_t, t) - noise)^2), x_t = sqrt(ab_t) x0 + sqrt(1 - ab_t) noise, for the t and noise drawn"""
    wrong_cases = []
    for i, (shape, dtype) in enumerate(basic_cases(seed)):
        entry, x0 = basic[f"case{i}"], data(shape, dtype, seed + 10 + i).to(F64)
        value = loss_value(entry)
        call = call_of(entry)
        if call is None:
            expect.not_judged("the model's call cannot be read (see the check of the model's call)")
        right, wrong = losses(call[0], x0, call[1])
        if not expect.close(value, right, **tolerance(dtype)):
            wrong_cases.append((value, right, wrong, shape))
    if wrong_cases:
        got, want, _, shape = wrong_cases[0]
        mistake(expect.explained_by([(g, k) for g, _, k, _ in wrong_cases]),
                f"for x0 of shape {shape} and the x_t and t your code passed to eps_model, the loss should be "
                f"{float(want):.6g} (with noise = (x_t - sqrt(alpha_bar_t) x0) / sqrt(1 - alpha_bar_t)); "
                f"{expect.differ(got.reshape(1), want.reshape(1))}")


@pytest.mark.points(1)
def test_gradient_reaches_the_model(basic, seed):
    """the loss keeps its graph: loss.backward() gives the model's parameters their exact gradient"""
    shape, dtype = basic_cases(seed)[0]
    entry, x0 = basic["case0"], data(shape, dtype, seed + 10).to(F64)
    value, call = loss_value(entry), call_of(entry)
    if call is None or not expect.close(value, losses(call[0], x0, call[1])[0], **tolerance(dtype)):
        expect.not_judged("the loss is not yet right (see its check); its gradient is judged once it is")
    if entry["gain_grad"] is None:
        mistake("loss-detached", "the loss has the right value but no gradient reaches the model's parameters: "
                "keep it a tensor computed from eps_model's output (no .item(), .detach() or torch.no_grad())")
    pred, noise = prediction(*call), recovered(call[0], x0, call[1])
    want = (2 * (pred - noise) * pred).mean()  # d/dgain of mean((gain * pred - noise)^2) at gain = 1
    got = expect.judgeable(entry["gain_grad"], "a gradient", shape=())
    if not expect.close(got, want, rtol=1e-4, atol=1e-9):  # float32 schedule buffers err ~1e-6
        mistake(None, f"d loss / d (the model's parameter): {expect.differ(got.reshape(1), want.reshape(1))}")


# --- the t drawn ------------------------------------------------------------------------------------

@pytest.mark.points(2)
def test_t_uniform_per_sample(sample, seed):
    """t is drawn per sample, uniform on {0, ..., T-1} (T = 12, every bucket tested), independently across the batch"""
    calls = []
    for name in ("call1", "call2"):
        entry = sample[name]
        expect.returned(entry)
        call = call_of(entry)
        if call is None:
            expect.not_judged("the model's call cannot be read (see the check of the model's call)")
        calls.append(call[1])
    if all(bool((t == t[0]).all()) for t in calls):
        mistake("one-t-per-batch", f"every sample of a batch got the same t ({int(calls[0][0])}, then "
                f"{int(calls[1][0])}): draw one t per sample, torch.randint(0, T, (B,))")
    t = torch.cat(calls)
    counts = torch.bincount(t, minlength=T)
    mismatch = stats.integer_counts_mismatch(t, T)
    if mismatch is not None:
        name = ("t-from-one" if counts[0] == 0 and (counts[1:] > 0).all() else
                "t-excludes-last" if counts[-1] == 0 and (counts[:-1] > 0).all() else None)
        mistake(name, f"over {t.numel()} samples the t drawn are not uniform on 0..{T - 1}: {mismatch} "
                f"(counts per t: {counts.tolist()})")
    linked = t_dependence(calls)
    if linked:
        lag, sums, mismatch = linked
        mistake(None, f"the t of samples {lag} apart in the batch are not independent: over {sums.numel()} pairs, "
                f"(t_i + t_(i+{lag})) mod {T} is not uniform ({mismatch}; counts per value: "
                f"{torch.bincount(sums, minlength=T).tolist()}); draw every sample's t on its own, "
                f"torch.randint(0, T, (B,)), with no half of the batch derived from the other (such as T - 1 - t)")


def disjoint_pairs(t, lag):
    """(t_i + t_(i+lag)) mod T over pairs that share no sample: i with i // lag even, i + lag < B."""
    i = torch.arange(t.numel())
    first = i[(i // lag % 2 == 0) & (i + lag < t.numel())]
    return (t[first] + t[first + lag]) % T


def t_dependence(calls):
    """(lag, the pairs' sums, what was counted) for the first lag at which the t drawn are not
    independent across the batch, else None. For independent uniform t, each (t_i + t_(i+lag)) mod T is uniform
    on 0..T-1 and, the pairs sharing no sample, independent of the others: the counts are
    multinomial and each lag's bucket test fails with probability <= 1e-8. The lags are 1 (samples
    interleaved) and B // 2, B // 2 + 1 (one half drawn, the other derived from it, as antithetic
    sampling does: T - 1 - t), so the test fails correct code with probability <= 3e-8."""
    rows = calls[0].numel()
    for lag in sorted({1, rows // 2, rows // 2 + 1}):
        sums = torch.cat([disjoint_pairs(t, lag) for t in calls])
        mismatch = stats.integer_counts_mismatch(sums, T)
        if mismatch:
            return lag, sums, mismatch
    return None


# --- the noise drawn -------------------------------------------------------------------------------

def noise_of(entry, shape, seed):
    call = call_of(entry)
    return recovered(call[0], data(shape, F64, seed + 20).to(F64), call[1])


def first_failure(first, second):
    """(mistake id, message) of the first noise test that fails, or None."""
    if stats.has_constant_column(first):
        return "noise-shared-batch", "every sample of the batch got the same noise"
    ok, distance, limit = stats.looks_standard_normal(first)
    if not ok:
        return "noise-not-standard", (f"the noise is not N(0, 1): mean {first.mean():.3f}, std {first.std():.3f} "
                                      f"(KS distance {distance:.3f} > {limit:.3f})")
    tails = stats.tails_mismatch(first)
    if tails:
        return "noise-not-standard", f"the noise's tails are not those of N(0, 1): {tails}"
    if stats.too_many_repeats(first):
        return None, f"{stats.repeated_values(first)} noise values repeat others of the same draw"
    if stats.too_many_shared(first, second):
        return None, f"{stats.shared_values(first, second)} noise values of a second call repeat the first's"
    serial = stats.serial_correlation(first)
    if serial:
        return None, f"the noise is correlated with itself {serial[0]} values apart (r = {serial[1]:.3f})"
    pairs = first.shape[0] // 2 * 2
    if not stats.looks_uncorrelated(first[0:pairs:2], first[1:pairs:2]):
        return "noise-shared-batch", "the noise of neighbouring samples is correlated"
    return None


@pytest.mark.points(2)
def test_noise_is_fresh_standard_normal(sample, seeds, seed):
    """the noise is N(0, 1), fresh per element and per call, and follows torch.manual_seed"""
    shape = sample_shape(seed)
    for name in ("call1", "call2"):
        if not formula_holds(sample[name], data(shape, F64, seed + 20)):
            expect.not_judged("x_t is not yet sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise (see the loss's check), "
                              "so the noise cannot be recovered from it")
    seeded_runs_verdict(seeds, SEEDS_SHAPE, "noise and t", fixed="noise-fixed-seed")
    first, second = noise_of(sample["call1"], shape, seed), noise_of(sample["call2"], shape, seed)
    failure = first_failure(first, second)
    if failure:
        mistake(failure[0], f"from the x_t your code passed to eps_model (x0 of shape {shape}): {failure[1]}")


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on x0's device: the loss, and the t passed to eps_model, live there"""
    t_device_verdict(device, "the loss", "x0")
