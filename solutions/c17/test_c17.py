"""Hidden checks of exercise c17, train_ddpm(eps_model, data, noise_schedule, steps, lr=1e-3, batch_size=256).

Training is random, so nothing here compares one seed's numbers. The student's loop trains a
small MLP on a swiss roll (2000 Adam steps, batch 256, lr 3e-3, T = 100); the trained model is
then judged by what it does, with the grader's code: its noise-prediction error on 2000 held-out
(x0, t, noise) triples built with the right formula (drawn from the seed and redrawn here), and
the energy distance between 2000 points the grader's own ancestral sampler draws from it and 2000
held-out swiss-roll points. Both limits were calibrated over many seeds (scripts/calibrate_c17.py):
the reference and every correct variant pass with a wide margin, broken loops fail. A mistake is
named only on evidence that singles it out: a model whose predictions at t < T/4 are within 0.3
(mean squared) of x0 itself; a model whose noise error on points built with alpha_t is below 0.85
times its error on the right points; parameters that never moved although gradients
reached them; parameters that moved at lr = 0; a bias gradient after the last step equal to the
sum of every step's (never zeroed); t the same across a batch, or never 0; batches of the data's
size when it holds fewer rows than a batch. One statistical test (t uniform on {0..T-1} over
5120 draws, grader.check.stats, <= 1e-8). Recordings made in the sandbox (the model's first calls,
its backward passes, parameter changes, the held-out predictions and samples) are trusted for the
points of the checks that read them.
"""

import pytest
import torch

from grader.check import expect, stats
from grader.check.diffusion import t_device_verdict
from grader.check.distance import energy_distance
from grader.check.expect import mistake
from grader.check.figure import scatter
from grader.check.wire import TensorValue

from .probes import BATCH, BETAS, SMALL_BATCH, SMALL_N, STEPS, T, held_out, held_out_triples, training_data

EPS_LIMIT = 0.6  # held-out eps MSE: correct loops 0.32-0.37, broken ones 0.8 and up (calibrate_c17.py)
X0_LIMIT = 0.3  # error against x0 at t < T/4: a model trained on x0 ~0.11, a noise predictor ~0.7
ALPHA_RATIO = 0.85  # a model trained with alpha_t does better on points built that way: ~0.73 x its error
DISTANCE_LIMIT = 0.08  # energy distance to held-out points: correct loops 0.007-0.027 (8 seeds), broken ones 0.03 (alpha_t) to 20
DECREASE = 0.9  # mean loss of the last tenth of the steps below this times the first hundredth's: correct ~0.59


def losses_of(entry):
    """The returned losses as float64 values, once they are `steps` numbers (floats, or 0-dim tensors)."""
    value = expect.returned(entry)
    if isinstance(value, (list, tuple)) and len(value) == STEPS:
        items = [v.data if isinstance(v, TensorValue) and v.data is not None and v.data.numel() == 1 else v
                 for v in value]
        if all(isinstance(v, (int, float, torch.Tensor)) and not isinstance(v, bool) for v in items):
            return torch.tensor([float(v) for v in items], dtype=torch.float64)
    expect.not_judged(f"your function returned {expect.kind_of(value, values=False)}; this is judged once it "
                      f"returns the list of the {STEPS} step losses")


def trained(entry, name):
    value = entry.get(name)
    if not isinstance(value, TensorValue) or value.data is None:
        expect.not_judged("the model was not trained (see the check of what your function returns)")
    return value.data.to(torch.float64)


# --- the public checks ---------------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_the_list_of_step_losses(train):
    """returns a list of `steps` Python floats, each step's loss"""
    value = expect.returned(train)
    if value is None:
        mistake("no-return", "your function returned None: collect each step's loss.item() in a list and return it")
    if not isinstance(value, (list, tuple)):
        mistake(None, f"your function returned {expect.kind_of(value)}; expected a list of {STEPS} floats")
    if len(value) != STEPS:
        mistake(None, f"your function returned {len(value)} losses for steps = {STEPS}; one per step")
    kinds = {type(v).__name__ if not isinstance(v, TensorValue) else "tensor" for v in value}
    if "tensor" in kinds:
        mistake("losses-as-tensors", f"the losses are tensors ({expect.kind_of(value[0])}), not Python floats: "
                "append loss.item(); a list of loss tensors keeps every step's graph alive (memory grows each step)")
    if kinds != {"float"}:
        mistake(None, f"the losses are {sorted(kinds)}; expected Python floats (loss.item())")
    losses = torch.tensor(value, dtype=torch.float64)
    if not torch.isfinite(losses).all():
        mistake(None, f"the losses hold nan or inf (first at step {int((~torch.isfinite(losses)).nonzero()[0])})")


def tenths(losses):
    """The mean loss over the first hundredth and over the last tenth of the steps."""
    return float(losses[:len(losses) // 100].mean()), float(losses[-len(losses) // 10:].mean())


@pytest.mark.public
@pytest.mark.points(1)
def test_losses_go_down(train, attach):
    """the loss goes down: its mean over the last tenth of the steps is below 0.9 times the first hundredth's"""
    losses = losses_of(train)
    first, last = tenths(losses)
    seen = (f"first loss {float(losses[0]):.4g}, last {float(losses[-1]):.4g}; mean over the first {STEPS // 100} "
            f"steps {first:.4g}, over the last {STEPS // 10} {last:.4g}")
    attach(note=seen)
    if not last < DECREASE * first:
        mistake(None, f"{seen}: the last should be below {DECREASE} x {first:.4g}")


# --- the loop's mechanics ---------------------------------------------------------------------------

@pytest.mark.points(1)
def test_parameters_trained_in_place_at_the_given_lr(train, small):
    """the model's own parameters are trained in place by Adam at the learning rate given (at lr = 0 they stay put)"""
    expect.returned(train)
    if train["changed"] == 0:
        if train["backward"] > 0:
            mistake("optimizer-never-stepped", f"gradients reached the model's parameters ({train['backward']} "
                    "backward passes) but the parameters never changed: call optimizer.step() after "
                    "loss.backward(), with an optimizer built on eps_model.parameters()")
        mistake(None, "the model's parameters never changed and no gradient reached them: train eps_model itself")
    expect.returned(small)
    if small["changed"] != 0:
        mistake("lr-ignored", f"with lr = 0 the model's parameters still changed (by up to {small['changed']:.3g}): "
                "build the optimizer with the learning rate you were given, torch.optim.Adam(params, lr=lr)")


def scaled_copy(got, grad):
    """got == c * grad with 0 < c <= 1: the gradient itself, or clipped (clip_grad_norm_ scales every gradient alike)."""
    c = float((got * grad).sum() / (grad * grad).sum().clamp_min(1e-300))
    return 0 < c <= 1 + 1e-5 and expect.close(got, c * grad, rtol=1e-4, atol=1e-7)


@pytest.mark.points(1)
def test_gradients_reset_every_step(small):
    """each step's update uses that step's gradient only (the gradients are zeroed before backward; clipping them is fine)"""
    expect.returned(small)
    grads = [g.data.to(torch.float64) for g in small["grads"] if isinstance(g, TensorValue) and g.data is not None]
    if len(grads) < 2:
        expect.not_judged("fewer than two backward passes reached the model (see the other checks)")
    after = small["grad_after"]
    after = after.data.to(torch.float64) if isinstance(after, TensorValue) and after.data is not None else None
    if after is None or bool((after == 0).all()) or scaled_copy(after, grads[-1]):
        return
    if scaled_copy(after, sum(grads)):
        mistake("no-zero-grad", f"after {len(grads)} steps the model's gradient is the sum of every step's gradient: "
                "they accumulate; call optimizer.zero_grad() before each loss.backward()")
    mistake(None, f"after {len(grads)} steps the model's gradient is neither the last step's gradient nor zero: "
            f"{expect.differ(after, grads[-1])}")


def batch_size_verdict(small):
    """On data of fewer rows than a batch, every call of eps_model gets batch_size rows."""
    expect.returned(small)
    sizes = {s["x_shape"][0] if s["x_shape"] else None for s in small["seen"]}
    if sizes == {SMALL_N}:
        mistake("batch-without-replacement", f"with {SMALL_N} rows of data and batch_size = {SMALL_BATCH}, eps_model "
                f"got batches of {SMALL_N} rows: draw rows with replacement, data[torch.randint(0, N, (batch_size,))]")
    if sizes != {SMALL_BATCH}:
        mistake(None, f"with batch_size = {SMALL_BATCH}, eps_model got batches of {sorted(map(str, sizes))} rows")


@pytest.mark.points(1)
def test_minibatches_and_t_per_sample(train, small):
    """each step calls eps_model once, on batch_size rows drawn with replacement, with t uniform on {0..T-1} per sample"""
    expect.returned(train)
    if train["calls"] != STEPS:
        mistake(None, f"eps_model was called {train['calls']} times in {STEPS} steps; call it once per step, on the batch")
    batch_size_verdict(small)
    ts = [s["t"].data for s in train["seen"] if isinstance(s["t"], TensorValue) and s["t"].data is not None]
    if len(ts) != len(train["seen"]) or any(t.shape != (BATCH,) or t.is_floating_point() for t in ts):
        mistake(None, f"eps_model should get t as a LongTensor of shape ({BATCH},); it got "
                f"{expect.kind_of(train['seen'][0]['t'])}")
    if all(bool((t == t[0]).all()) for t in ts):
        mistake("one-t-per-batch", f"every sample of a batch got the same t (the first batches: "
                f"{[int(t[0]) for t in ts[:4]]}): draw one t per sample, torch.randint(0, T, (batch_size,))")
    t = torch.cat(ts).to(torch.int64)
    counts = torch.bincount(t.clamp(0, T), minlength=T + 1)
    if t.min() < 0 or t.max() >= T:
        mistake(None, f"eps_model got t outside 0..{T - 1} (from {int(t.min())} to {int(t.max())})")
    mismatch = stats.integer_counts_mismatch(t, T)
    if mismatch:
        name = "t-from-one" if counts[0] == 0 and (counts[1:T] > 0).all() else None
        mistake(name, f"over {t.numel()} samples the t drawn are not uniform on 0..{T - 1}: {mismatch}"
                + (" (t = 0 was never drawn)" if counts[0] == 0 else ""))


# --- the trained model ---------------------------------------------------------------------------

def held_out_errors(pred, pred_alpha, seed):
    """Mean squared errors of the trained model's predictions on the held-out points: against the
    noise (what it should predict), against x0, and against the noise of points built with alpha_t."""
    x0, t, noise = held_out_triples(seed)
    x0, noise = x0.to(torch.float64), noise.to(torch.float64)
    early = t < T // 4  # x_t is mostly x0 there: a model that predicts x0 gets it almost right
    return {"error": float(((pred - noise) ** 2).mean()), "x0_error": float(((pred - x0)[early] ** 2).mean()),
            "alpha_error": float(((pred_alpha - noise) ** 2).mean())}


@pytest.mark.points(2)
def test_trained_model_predicts_held_out_noise(train, seed, attach):
    """the trained model predicts the noise of held-out noised points: mean squared error below 0.6"""
    losses_of(train)
    errors = held_out_errors(trained(train, "pred"), trained(train, "pred_alpha"), seed)
    error, x0_error, alpha_error = errors["error"], errors["x0_error"], errors["alpha_error"]
    if error < EPS_LIMIT:
        attach(note=f"held-out noise error {error:.3f} (limit {EPS_LIMIT})")
        return
    name = ("x0-as-target" if x0_error < X0_LIMIT else
            "alpha-for-alpha-bar" if alpha_error < ALPHA_RATIO * error and alpha_error < 1 else None)
    mistake(name, f"on 2000 held-out points x_t = sqrt(alpha_bar_t) x0 + sqrt(1 - alpha_bar_t) noise the trained "
            f"model's mean squared error against the noise is {error:.3f}; a correctly trained one gets below "
            f"{EPS_LIMIT}" + (f" (at t < {T // 4} its error against x0 is only {x0_error:.3f}: it learned to predict x0)"
                              if name == "x0-as-target" else "")
            + (f" (on points built with alpha_t instead of alpha_bar_t it gets {alpha_error:.3f})"
               if name == "alpha-for-alpha-bar" else ""))


def sample_distance(samples, seed):
    return energy_distance(samples, held_out(seed))


@pytest.mark.points(2)
def test_samples_look_like_the_swiss_roll(train, seed, attach):
    """the grader's sampler, run on the trained model, draws points close to the swiss roll (energy distance below 0.08)"""
    losses_of(train)
    samples = trained(train, "samples")
    if not torch.isfinite(samples).all():
        attach(figure=scatter("held-out data (the samples hold nan or inf)", {"samples": samples[:0], "held-out data": held_out(seed)}))
        mistake(None, "sampling the trained model gave nan or inf: its predictions blow up")
    distance, data = sample_distance(samples, seed), held_out(seed)
    attach(note=f"energy distance {distance:.4f} to held-out swiss-roll points (limit {DISTANCE_LIMIT})",
           figure=scatter(f"samples of the trained model (blue) and held-out data (red): energy distance {distance:.4f}",
                          {"samples": samples, "held-out data": data}))
    if not distance < DISTANCE_LIMIT:
        mistake(None, f"2000 points sampled from the trained model are at energy distance {distance:.4f} from "
                f"held-out swiss-roll points; a correctly trained model gets below {DISTANCE_LIMIT}")


@pytest.mark.points(1)
def test_works_on_the_data_device_and_leaves_inputs_unchanged(device, train, seed):
    """works on the data's device (t and every tensor made there), and data and schedule are left unchanged"""
    expect.returned(train)
    if not train["calls"]:
        expect.not_judged("your function never called eps_model, so it trained nothing (see the other checks)")
    expect.unchanged(training_data(seed), train["data_after"], "data")
    expect.unchanged(BETAS, train["betas_after"], "noise_schedule")
    t_device_verdict(device, "the training loop", "data", returns_tensors=False)
