"""Hidden checks of exercise c2, add_noise(x0, t, noise_schedule, noise=None).

With the noise given, x_t is deterministic: it is compared with alpha_bar computed by an
explicit loop of products (independent of torch.cumprod) and, when it is wrong, with the
x_t of known wrong formulas on the same inputs: a mistake is named only when its formula
gives the student's x_t in every wrong case. With noise=None the returned noise is tested as
a distribution (grader.check.stats) and x_t must be built from exactly that noise, which is
judged only once the coefficients are right with the noise given. The public check owns
the result's type, shape and dtype; the others say "not judged" until x_t is shaped like x0.

Precision is one fact, judged once: the formula checks compare at a tolerance that separates a
formula from rounding (float64: 1e-6 relative, so a schedule kept in float32, ~6e-8, passes
them), and one check asks float64 inputs for float64 precision (1e-9).

Statistical tests of a run, each failing a correct solution with probability <= 1e-8 (11 in
all, below 1.1e-7): the noise's distribution (KS against DKW) and its tail mass beyond 2 and 3
sigma (binomial, Chernoff) (2); independence from x0, across the batch, across dimensions and
across two calls (4 correlations); no value repeated within a draw, none of the second call's
values found in the first, no structure at up to 8 lags in memory order (<= 8e-9 together)
(3); and, when the noise is wrong, the noise x_t was built from (2). Following torch.manual_seed
(the same seed twice gives the same noise, another seed another) is judged by equality alone.

Shapes, batch sizes and steps are drawn from the run's seed. What the grader judges itself, not
trusting the student's process: a second call on the same tensors must return the same x_t (when
the given noise is used), and the gradient and the device are judged only for a right x_t.
"""

import re

import pytest
import torch

from grader.check import expect, stats
from grader.check.expect import mistake
from grader.check.wire import TensorValue

from .probes import BETAS, F32, F64, case_inputs, cases, device_inputs, fresh_inputs, fresh_shape


def alpha_bars(betas):
    """alpha_bar_t for t = 0..T-1 by an explicit running product (the independent oracle)."""
    out, running = [], 1.0
    for beta in betas.tolist():
        running *= 1.0 - beta
        out.append(running)
    return torch.tensor(out, dtype=F64)


def per_sample(values, t, x0):
    """values[t] as one coefficient per sample, broadcast over x0's other dims."""
    picked = values[torch.as_tensor(t)]
    return picked.reshape(-1, *([1] * (x0.dim() - 1)))


def closed_form(a, x0, noise):
    return a.sqrt() * x0 + (1 - a).sqrt() * noise


def right_x_t(x0, t, noise):
    """The correct x_t in float64."""
    x0, noise = x0.to(F64), noise.to(F64)
    return closed_form(per_sample(alpha_bars(BETAS), t, x0), x0, noise)


def wrong_formulas(x0, t, noise, dtype):
    """The x_t each known mistake produces (float64), its schedule computed in `dtype`."""
    betas = BETAS.to(dtype)
    ab = torch.cumprod(1 - betas, 0)
    a = per_sample(ab.to(F64), t, x0)
    wrapped = per_sample(torch.cat([ab[-1:], ab[:-1]]).to(F64), t, x0)  # ab[t - 1], t = 0 wrapping to the last step
    padded = per_sample(torch.cat([torch.ones(1, dtype=dtype), ab[:-1]]).to(F64), t, x0)  # ab[t - 1], 1 at t = 0
    clamped = per_sample(torch.cat([ab[:1], ab[:-1]]).to(F64), t, x0)  # ab[max(t - 1, 0)]
    single = per_sample((1 - betas).to(F64), t, x0)
    betas_prod = torch.cumprod(betas, 0)
    wrong = {
        "one-based-t": tuple(closed_form(shifted, x0, noise) for shifted in (wrapped, padded, clamped)),
        "missing-sqrt": (a * x0 + (1 - a) * noise,),
        "noise-missing-sqrt": (a.sqrt() * x0 + (1 - a) * noise,),
        "swapped-coefficients": ((1 - a).sqrt() * x0 + a.sqrt() * noise,),
        "single-step": (closed_form(single, x0, noise),),
        "cumprod-of-betas": (closed_form(per_sample(betas_prod.to(F64), t, x0), x0, noise),),
        "one-minus-cumprod-betas": (closed_form(per_sample((1 - betas_prod).to(F64), t, x0), x0, noise),),
        "noise-coefficient": (a.sqrt() * x0 + (1 - a.sqrt()) * noise,),
    }
    if torch.as_tensor(t).dim() == 1 and x0.dim() > 1 and x0.shape[-1] == x0.shape[0]:
        wrong["broadcast-wrong-dim"] = (closed_form(ab.to(F64)[torch.as_tensor(t)], x0, noise),)  # along the last dim
    return wrong


def known_results(x0, t, noise):
    """The correct x_t, then the x_t each known mistake produces, in float64. The mistakes'
    schedules are computed both in x0's dtype and in float64, as a student's code may: in
    float32, 1 - cumprod(betas) rounds to 1 and its noise coefficient to 0."""
    dtype = x0.dtype
    x0, noise = x0.to(F64), noise.to(F64)
    wrong = wrong_formulas(x0, t, noise, dtype)
    if dtype != F64:
        wide = wrong_formulas(x0, t, noise, F64)
        wrong = {key: values + wide[key] for key, values in wrong.items()}
    return right_x_t(x0, t, noise), wrong


def tolerance(dtype):
    """What separates a formula from rounding: float32 coefficients on float64 inputs pass."""
    return {"rtol": 1e-4, "atol": 1e-5} if dtype == F32 else {"rtol": 1e-6, "atol": 1e-7}


FLOAT64_PRECISION = {"rtol": 1e-9, "atol": 1e-12}


def describe_case(case):
    shape, dtype, t = case
    return f"x0 of shape {shape} ({str(dtype)[6:]}), t = {t}"


def pair(entry):
    """What add_noise returned, once it is a pair; an exception it raised is shown as such, and
    anything else is left to the public check, which owns the result's type."""
    value = expect.returned(entry)
    if not (isinstance(value, (tuple, list)) and len(value) == 2):
        expect.not_judged(f"your function returned {expect.kind_of(value)}, not a pair (x_t, noise)")
    return value


def data_shaped(value, shape):
    """The values of a returned tensor of this shape, or None."""
    ok = isinstance(value, TensorValue) and value.shape == tuple(shape) and value.data is not None
    return value.data.to(F64) if ok else None


def shaped(value, shape, name):
    """A returned tensor's values once it has x0's shape; else not judged (the public check says why)."""
    return expect.judgeable(value, f"{name} shaped like x0", shape=shape)


def consistent_with_closed_form(x_t, returned, x0, t, noise, dtype) -> bool:
    """x_t has the right coefficients: it is the closed form with the noise given or the noise returned."""
    candidates = [noise] + ([returned] if returned is not None else [])
    return any(expect.close(x_t, right_x_t(x0, t, z), **tolerance(dtype)) for z in candidates)


# --- the public check: the result's type, shape and dtype ---------------------------------

SIZE_MISMATCH = re.compile(r"size of tensor a \((\d+)\) must match the size of tensor b \((\d+)\) "
                           r"at non-singleton dimension (\d+)")


def broadcast_wrong_dim(out, cases) -> int | None:
    """The case that shows alpha_bar of shape (B,) broadcast along x0's last dim, if any: with
    per-sample t, x0 of shape (B, ..., D), D != B, add_noise raised a size mismatch of B against
    D at the last dim, and it raised for no int t (one alpha_bar for the whole batch) and for no
    x0 whose last dim equals B (where that broadcast goes through)."""
    found = None
    for i, (shape, _, t) in enumerate(cases):
        error = out[f"case{i}"].get("error")
        per_sample = isinstance(t, list) and len(shape) > 1
        if error and per_sample and shape[-1] != shape[0]:
            match = SIZE_MISMATCH.search(str(error.get("message")))
            if not (match and {int(match[1]), int(match[2])} == {shape[0], shape[-1]} and int(match[3]) == len(shape) - 1):
                return None
            found = i if found is None else found
        elif error and (not per_sample or shape[-1] == shape[0]):
            return None
    return found


def fixed_4d_shape(shape, t):
    """x_t's shape when per-sample coefficients are viewed as (-1, 1, 1, 1) whatever x0's dims."""
    return tuple(torch.broadcast_shapes((len(t) if isinstance(t, list) else 1, 1, 1, 1), shape))


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_pair_shaped_like_x0(given_noise, seed):
    """returns (x_t, noise), both shaped like x0 with its dtype"""
    drawn = cases(seed)
    i = broadcast_wrong_dim(given_noise, drawn)
    if i is not None:
        error = given_noise[f"case{i}"]["error"]
        where = "".join(f" (line {f['line']}: {f['code']})" for f in error.get("frames", [])[-1:])
        mistake("broadcast-wrong-dim", f"for {describe_case(drawn[i])} your function raised {error['type']}: "
                f"{error['message']}{where}: a per-sample alpha_bar of shape (B,) was broadcast against the last "
                "dimension of x0, not the batch dimension")
    results = [expect.returned(given_noise[f"case{i}"]) for i in range(len(drawn))]
    for i, result in enumerate(results):
        if result is None:
            mistake("no-return", f"for {describe_case(drawn[i])} your function returned None: end it with `return x_t, noise`")
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            mistake(None, f"for {describe_case(drawn[i])} add_noise should return a pair (x_t, noise), but it returned "
                    f"{expect.kind_of(result)}")
    shapes = [tuple(r[0].shape) if isinstance(r[0], TensorValue) else None for r in results]
    odd = [i for i, (shape, _, _) in enumerate(drawn) if shapes[i] != shape]
    if odd and all(shapes[i] in (shape, fixed_4d_shape(shape, t)) for i, (shape, _, t) in enumerate(drawn)):
        i = odd[0]
        mistake("fixed-4d-view", f"for {describe_case(drawn[i])} x_t has shape {shapes[i]}, expected {drawn[i][0]}: "
                "alpha_bar was reshaped to (B, 1, 1, 1), which broadcasts against a 4-D batch only")
    for i, (shape, dtype, _) in enumerate(drawn):
        x_t, noise = results[i]
        expect.tensor(x_t, f"x_t for {describe_case(drawn[i])}", shape=shape, dtype=str(dtype)[6:])
        expect.tensor(noise, f"the noise returned for {describe_case(drawn[i])}", shape=shape, dtype=str(dtype)[6:])


# --- the values, with the noise given -----------------------------------------------------

@pytest.mark.points(2)
def test_x_t_matches_the_closed_form(given_noise, seed):
    """x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise (int and per-sample t, 2-D/4-D)"""
    wrong_cases = []
    for i, case in enumerate(cases(seed)):
        shape, dtype, _ = case
        x_t, returned = pair(given_noise[f"case{i}"])
        x_t, returned = shaped(x_t, shape, "x_t"), data_shaped(returned, shape)
        x0, t, _, noise = case_inputs(case, i, seed)
        right, known = known_results(x0, t, noise)
        if returned is not None and not expect.close(returned, noise.to(F64), rtol=0, atol=0):
            known["ignores-given-noise"] = right_x_t(x0, t, returned)  # built from the noise it drew itself
        if not expect.close(x_t, right, **tolerance(dtype)):
            wrong_cases.append((x_t, right, known, describe_case(case)))
    if wrong_cases:
        got, want, _, what = wrong_cases[0]
        mistake(expect.explained_by([(got, known) for got, _, known, _ in wrong_cases]),
                f"x_t for {what}: {expect.differ(got, want)}")


@pytest.mark.points(1)
def test_float64_inputs_keep_float64_precision(given_noise, seed):
    """float64 inputs give x_t to float64 precision (no float32 schedule or detour)"""
    if not coefficients_right(given_noise, seed):
        expect.not_judged("x_t is not yet the closed form (see the closed-form check); its precision is judged once it is")
    for i, case in enumerate(cases(seed)):
        shape, dtype, _ = case
        if dtype != F64:
            continue
        x_t, returned = pair(given_noise[f"case{i}"])
        x_t, returned = shaped(x_t, shape, "x_t"), data_shaped(returned, shape)
        x0, t, _, noise = case_inputs(case, i, seed)
        want = right_x_t(x0, t, noise if returned is None else returned)
        if not expect.close(x_t, want, **FLOAT64_PRECISION):
            mistake("float32-schedule", f"x_t for {describe_case(case)} has the right formula but float32 precision "
                    f"({expect.gap(x_t, want)}; float64 rounding is below 1e-15): alpha_bar or its square roots "
                    "went through float32 (a schedule or buffer kept in float32?)")


def changed_by_a_call(given_noise, i, case, seed) -> None:
    """When the given noise is used, a second call on the same tensors must return the same x_t: judged
    here, right formula or not, whatever bytes are sent back (noise drawn anyway is another check's)."""
    noise = case_inputs(case, i, seed)[3]
    first, returned = (data_shaped(v, case[0]) for v in expect.returned(given_noise[f"case{i}"]))
    again = given_noise[f"again{i}"].get("result")
    again = data_shaped(again[0], case[0]) if isinstance(again, (tuple, list)) and len(again) == 2 else None
    if first is None or returned is None or not torch.equal(returned, noise.to(F64)):
        return
    if again is None or not torch.equal(first, again):
        mistake("modifies-input", f"for {describe_case(case)} a second call on the same x0, noise_schedule and noise "
                "tensors returned another x_t: the first call changed its inputs in place; compute new tensors "
                "(x = x + y, not x += y or x.mul_(y))")


@pytest.mark.points(1)
def test_uses_and_returns_the_given_noise(given_noise, seed):
    """the noise passed in is the noise returned, and the inputs are left unchanged"""
    for i, case in enumerate(cases(seed)):
        shape, dtype, _ = case
        x_t, returned = pair(given_noise[f"case{i}"])
        returned = shaped(returned, shape, "the noise")
        x0, t, betas, noise = case_inputs(case, i, seed)
        x0_after, betas_after, noise_after = given_noise[f"inputs{i}"]
        expect.unchanged(x0, x0_after, "x0")
        expect.unchanged(betas, betas_after, "noise_schedule")
        expect.unchanged(noise, noise_after, "noise")
        changed_by_a_call(given_noise, i, case, seed)
        if expect.close(returned, noise.to(F64), rtol=0, atol=0):
            continue
        what = f"for {describe_case(case)} the noise you returned is not the noise that was passed in"
        x_t = data_shaped(x_t, shape)
        if x_t is not None and expect.close(x_t, right_x_t(x0, t, returned), **tolerance(dtype)):
            mistake("ignores-given-noise", f"{what}: x_t was built from the noise you returned, so you drew your own")
        if x_t is not None and expect.close(x_t, right_x_t(x0, t, noise), **tolerance(dtype)):
            mistake("returned-noise-not-used", f"{what}, though x_t was built from the noise passed in")
        swapped = x_t is not None and expect.close(x_t, noise.to(F64), rtol=0, atol=0)
        mistake(None, what + (": your first item is the noise; return (x_t, noise) in that order" if swapped else ""))


# --- noise=None ---------------------------------------------------------------------------

def fresh_call(out, which, seed):
    x_t, noise = pair(out[which])
    return x_t, expect.tensor(noise, "the noise drawn when noise=None", shape=fresh_shape(seed), dtype="float64")


def coefficients_right(given_noise, seed) -> bool:
    """Whether, with the noise given, x_t is the closed form in every case (built from the noise
    given or from the noise returned): then a wrong x_t with noise=None is a matter of its noise."""
    for i, case in enumerate(cases(seed)):
        shape, dtype, _ = case
        result = given_noise[f"case{i}"].get("result")
        if not (isinstance(result, (tuple, list)) and len(result) == 2):
            return False
        x_t, returned = data_shaped(result[0], shape), data_shaped(result[1], shape)
        x0, t, _, noise = case_inputs(case, i, seed)
        if x_t is None or not consistent_with_closed_form(x_t, returned, x0, t, noise, dtype):
            return False
    return True


def noise_used(x_t, seed):
    """The noise z with x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) z for the noise=None call."""
    x0, t = fresh_inputs(seed, fresh_shape(seed))
    a = per_sample(alpha_bars(BETAS), t, x0)
    return (x_t - a.sqrt() * x0) / (1 - a).sqrt()


def built_from_other_noise(x_t, noise, given_noise, seed) -> bool:
    """The signature of returning another noise than the one x_t was built from: the coefficients
    are right (with the noise given), and x_t is the closed form for a standard normal noise
    that is not the one returned."""
    if x_t is None or noise is None or not coefficients_right(given_noise, seed):
        return False
    used = noise_used(x_t, seed)
    return not expect.close(used, noise, rtol=1e-6, atol=1e-9) and stats.looks_standard_normal(used)[0]


def fresh_pair(fresh_noise, seed):
    """x_t and the noise of the first noise=None call, the noise of the second; noise with nan or
    inf fails here, in the student's terms, before any test refuses it."""
    x_t, first = fresh_call(fresh_noise, "first", seed)
    _, second = fresh_call(fresh_noise, "second", seed)
    bad = int((~torch.isfinite(first)).sum() + (~torch.isfinite(second)).sum())
    if bad:
        mistake(None, f"the noise you returned with noise=None holds nan or inf ({bad} of {2 * first.numel()} values over "
                "two calls): draw it with torch.randn_like(x0)")
    return x_t, first, second


def fail_noise(failure, x_t, first, given_noise, seed):
    if failure and built_from_other_noise(data_shaped(x_t, fresh_shape(seed)), first, given_noise, seed):
        mistake(None, f"{failure[1]}; x_t, though, was built from a standard normal noise, not from the one you returned")
    if failure:
        mistake(*failure)


@pytest.mark.points(1)
def test_fresh_noise_is_standard_normal(fresh_noise, given_noise, seed):
    """with noise=None the noise is N(0, 1), tails included"""
    x_t, first, _ = fresh_pair(fresh_noise, seed)
    if stats.has_constant_column(first) or stats.has_constant_column(first.T):
        expect.not_judged("one draw of noise serves many values (the independence check names it), so its distribution "
                          "cannot be tested")
    ok, distance, limit = stats.looks_standard_normal(first)
    tails = stats.tails_mismatch(first)
    failure = None
    if not ok:
        failure = ("noise-not-standard", f"the noise you returned is not N(0, 1): mean {first.mean():.3f}, std "
                   f"{first.std():.3f} (KS distance {distance:.3f} > {limit:.3f})")
    elif tails:
        failure = ("noise-not-standard", f"the noise you returned has the wrong tails for N(0, 1): {tails} (clipped or "
                   "truncated noise?)")
    fail_noise(failure, x_t, first, given_noise, seed)


def independence_failure(first, second):
    """What shows the noise is not a fresh draw for every value and every call, or None."""
    for a, b, where in [(first[0::2], first[1::2], "across the batch"), (first[:, 0::2], first[:, 1::2], "across dimensions"),
                        (first, second, "across two calls")]:
        if not stats.looks_uncorrelated(a, b):
            return "noise-shared", f"the noise is shared or correlated {where}"
    repeats, copied = stats.too_many_repeats(first), stats.too_many_shared(first, second)
    if repeats:
        return "noise-shared", (f"{repeats} of the {first.numel()} values of the noise repeat another value of the same "
                                "call (to 1e-9 relative): independent normal draws never do (rows copied?)")
    if copied:
        return "noise-shared", (f"{copied} of the {second.numel()} values of the noise drawn by the second of two calls "
                                "appear among the first call's (equal to 1e-9 relative): a shifted, permuted or replayed copy is not a "
                                "fresh draw")
    structure = stats.serial_correlation(first)
    if structure:
        return None, (f"the noise is correlated with itself {structure[0]} values further on, in memory order "
                      f"(correlation {structure[1]:.3f}): every value must be an independent draw")
    return None


@pytest.mark.points(1)
def test_fresh_noise_is_independent(fresh_noise, given_noise, seeds, seed):
    """with noise=None the noise is independent of x0, across samples, dims and calls, and follows torch.manual_seed"""
    x_t, first, second = fresh_pair(fresh_noise, seed)
    x0, _ = fresh_inputs(seed, fresh_shape(seed))
    varies = bool((first.std(0) > 1e-9).all())  # a column constant over the batch is shared noise, judged below
    if varies and not stats.looks_uncorrelated(first, x0):
        mistake(None, f"the noise you returned with noise=None is correlated with x0 (correlation "
                f"{stats.correlation(first, x0):.3f}): it should be a fresh draw, independent of x0")
    fail_noise(independence_failure(first, second), x_t, first, given_noise, seed)
    drawn = {name: fresh_call(seeds, name, seed)[1] for name in ("first", "again", "other")}
    if not torch.equal(drawn["first"], drawn["again"]):
        mistake("private-generator", "after the same torch.manual_seed, two calls drew different noise: draw from torch's "
                "global generator (torch.randn_like(x0)) so that torch.manual_seed reproduces a run; a generator of "
                "your own (torch.Generator(), numpy's default_rng) is not seeded by it")
    if torch.equal(drawn["first"], drawn["other"]):
        mistake("noise-shared", "after two different torch.manual_seed seeds, two calls drew the same noise: the noise "
                "ignores the global seed (seeded or cached inside the function?)")


@pytest.mark.points(1)
def test_fresh_x_t_uses_the_returned_noise(fresh_noise, given_noise, seed):
    """with noise=None, x_t is built from exactly the noise returned"""
    x_t, noise = pair(fresh_noise["first"])
    x_t = shaped(x_t, fresh_shape(seed), "x_t")
    noise = data_shaped(noise, fresh_shape(seed))
    if noise is None:
        expect.not_judged("the noise returned with noise=None is not a tensor shaped like x0 (see the noise check)")
    if not torch.isfinite(noise).all():
        expect.not_judged("the noise returned with noise=None holds nan or inf (see the noise check), so x_t cannot be "
                          "compared with it")
    if not coefficients_right(given_noise, seed):
        expect.not_judged("x_t is not yet sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise when the noise is passed in "
                          "(see the closed-form check), so whether it uses the noise it returns cannot be told")
    x0, t = fresh_inputs(seed, fresh_shape(seed))
    want = right_x_t(x0, t, noise)
    if expect.close(x_t, want, **tolerance(F64)):
        return
    if built_from_other_noise(x_t, noise, given_noise, seed):
        mistake("returned-noise-not-used", "with noise=None, x_t is sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) z for a "
                f"standard normal z that is not the noise you returned (z = {expect.preview(noise_used(x_t, seed))}, "
                f"your noise = {expect.preview(noise)}): draw the noise once, use it, and return it")
    mistake(None, "with noise=None, x_t is not sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise for the noise you "
            f"returned: {expect.differ(x_t, want)}")


# --- gradients and device -----------------------------------------------------------------

@pytest.mark.points(1)
def test_gradient_flows_to_x0(gradients, seed):
    """gradients flow from x_t back to x0 (d x_t / d x0 = sqrt(alpha_bar_t))"""
    case = cases(seed)[0]
    shape, dtype, _ = case
    x_t, returned = pair(gradients)
    x_t = shaped(x_t, shape, "x_t")
    x0, t, _, noise = case_inputs(case, 0, seed)
    if not consistent_with_closed_form(x_t, data_shaped(returned, shape), x0, t, noise, dtype):
        expect.not_judged("x_t is not yet right (see the closed-form check); its gradient is judged once it is")
    if gradients["grad"] is None:
        mistake("x0-detached", "x_t has the right values but no gradient reaches x0 from it")
    expected = per_sample(alpha_bars(BETAS), t, x0).sqrt().expand_as(x0)
    got = expect.tensor(gradients["grad"], "d x_t / d x0", shape=shape)
    if not expect.close(got, expected, **tolerance(F64)):
        mistake(None, f"d x_t / d x0: {expect.differ(got, expected)}")


@pytest.mark.points(1)
def test_result_on_inputs_device(device, seed):
    """works on x0's device (no tensors hard-coded to the CPU)"""
    x0, t = device_inputs(seed)
    values = device.get("values")
    shaped = [data_shaped(v, x0.shape) for v in values] if isinstance(values, (tuple, list)) and len(values) == 2 else []
    x_t, noise = shaped or (None, None)
    if x_t is None or noise is None or not expect.close(x_t, right_x_t(x0, t, noise), **tolerance(F64)):
        expect.not_judged("x_t on the device is not yet sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise for the noise "
                          "returned (see the value checks); its device is judged once it is")
    expect.device_verdict(device, "(x_t, noise)")
