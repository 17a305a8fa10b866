"""The shared probe-side machinery: seeded shapes, seeding, recording models, the exact eps model,
and numpy arrays on the wire; the exact references of grader.check.gaussian against simulation."""

from __future__ import annotations

import random

import numpy as np
import pytest
import torch

from grader.check import expect, stats
from grader.check.gaussian import Gaussian, alpha_bars, eps_affine
from grader.check.wire import TensorValue, decode_frames
from grader.sandbox.device_spy import run_on_device
from grader.sandbox.frames import encode_frame
from grader.sandbox.models import MAX_RECORDED_CALLS, GaussianEps, Recorder, RecordingSGD
from grader.sandbox.probing import draw_shape, twice, under_seeds

F64 = torch.float64
BETAS = torch.linspace(1e-4, 0.2, 40, dtype=F64)


def test_shapes_are_drawn_from_the_seed_within_their_ranges():
    shapes = {draw_shape(seed, (2, 9), (1, 5)) for seed in range(200)}
    assert all(2 <= b <= 9 and 1 <= d <= 5 for b, d in shapes)
    assert {b for b, _ in shapes} == set(range(2, 10)) and {d for _, d in shapes} == set(range(1, 6))
    assert draw_shape(7, (2, 9), (1, 5)) == draw_shape(7, (2, 9), (1, 5))


def test_under_seeds_replays_every_global_generator():
    def noise():
        return torch.randn(3).tolist() + [random.random(), float(np.random.rand())]
    out = under_seeds(noise, 11)
    assert out["first"]["result"] == out["again"]["result"] != out["other"]["result"]
    private = torch.Generator().manual_seed(0)
    drifting = under_seeds(lambda: torch.randn(3, generator=private).tolist(), 11)
    assert drifting["first"]["result"] != drifting["again"]["result"]


def test_twice_keeps_the_first_result_as_it_was_and_shows_an_input_changed_in_place():
    x = torch.ones(3)
    first, again = twice(lambda: x.add_(torch.randn(3)), seed=5)  # the result is x itself, changed again later
    assert not torch.equal(first["result"], again["result"]) and not torch.equal(first["result"], x)
    y = torch.ones(3)
    first, again = twice(lambda: (y + torch.randn(3), "label"), seed=5)
    assert torch.equal(first["result"][0], again["result"][0]) and first["result"][1] == "label"
    assert "error" in twice(lambda: 1 / 0)[1]


def test_recorder_keeps_copies_of_every_call_and_passes_results_through():
    model = Recorder(lambda x, t: 2 * x + t)
    x = torch.ones(3, requires_grad=True)
    y = model(x, t=torch.tensor(1.0))
    x.data.add_(5)  # the copy does not change with the caller's tensor
    record = model.record()
    assert record["calls"] == 1 and torch.equal(y, torch.full((3,), 3.0))
    assert torch.equal(record["seen"][0]["args"][0], torch.ones(3)) and record["seen"][0]["requires_grad"] == [True]
    assert torch.equal(record["seen"][0]["kwargs"]["t"], torch.tensor(1.0))
    for _ in range(MAX_RECORDED_CALLS + 5):
        model(x, t=0)
    assert model.record()["calls"] == MAX_RECORDED_CALLS + 6 and len(model.record()["seen"]) == MAX_RECORDED_CALLS


def test_recorder_rows_join_a_per_sample_loop_into_one_tensor():
    model = Recorder(lambda x: x.sum(1))
    x = torch.arange(12.0).reshape(4, 3)
    model(x)
    for row in x.clone().requires_grad_(True):
        model(row.unsqueeze(0))
    assert torch.equal(model.rows(), torch.cat([x, x])) and torch.equal(model.rows(requiring_grad=True), x)
    assert model.shapes() == [[4, 3]] + [[1, 3]] * 4
    model(torch.zeros(2, 5))
    assert model.rows() is None  # rows of another width do not join


def test_recording_sgd_steps_by_minus_lr_times_grad_and_records_its_calls():
    w = torch.nn.Parameter(torch.tensor([1.0, 2.0]))
    optimizer = RecordingSGD([w], lr=0.5)
    w.grad = torch.tensor([7.0, 7.0])
    optimizer.zero_grad(set_to_none=False)
    assert torch.equal(w.grad, torch.zeros(2))
    loss = optimizer.step(lambda: (w ** 2).sum().backward() or (w ** 2).sum())
    assert torch.equal(w.detach(), torch.tensor([0.0, 0.0])) and float(loss) == 5.0
    optimizer.zero_grad()
    assert w.grad is None and optimizer.events == ["zero_grad", "step", "zero_grad"]
    assert optimizer.param_groups[0]["lr"] == 0.5 and optimizer.param_groups[0]["params"] == [w]


def test_gaussian_eps_matches_the_judges_coefficients_and_keeps_the_dtype():
    mean, std = torch.tensor([1.0, -2.0], dtype=F64), torch.tensor([0.5, 2.0], dtype=F64)
    model = GaussianEps(BETAS, mean, std)
    x, t = torch.randn(4, 2, dtype=F64), torch.tensor([0, 10, 20, 39])
    eps = model(x, t)
    for i in range(4):
        c, d = eps_affine(BETAS, int(t[i]), mean, std)
        assert torch.allclose(eps[i], c * x[i] + d, rtol=1e-12, atol=0)
    assert model(x.float(), t).dtype == torch.float32
    assert torch.allclose(model(x, 10), model(x, torch.full((4,), 10)))
    images = torch.randn(3, 2, 4, 4, dtype=F64)
    assert GaussianEps(BETAS)(images, torch.tensor([1, 2, 3])).shape == images.shape


def test_gaussian_eps_is_the_conditional_mean_by_simulation():
    mean, std, t = 0.7, 1.6, 25
    g = torch.Generator().manual_seed(0)
    x0 = mean + std * torch.randn(400_000, generator=g, dtype=F64)
    eps = torch.randn(400_000, generator=g, dtype=F64)
    ab = alpha_bars(BETAS)[t]
    xt = ab.sqrt() * x0 + (1 - ab).sqrt() * eps
    slope = float(((xt - xt.mean()) * (eps - eps.mean())).mean() / xt.var())
    c, d = eps_affine(BETAS, t, mean, std)
    assert slope == pytest.approx(float(c), rel=0.01)
    assert float(eps.mean() - slope * xt.mean()) == pytest.approx(float(d), abs=0.01)


def test_alpha_bars_is_the_running_product():
    assert torch.allclose(alpha_bars(BETAS), torch.cumprod(1 - BETAS, 0), rtol=1e-14, atol=0)


def test_the_gaussian_propagation_matches_a_simulated_recursion():
    g = torch.Generator().manual_seed(1)
    x = torch.randn(200_000, generator=g, dtype=F64)
    law = Gaussian.standard((1,))
    for scale, shift, noise in ((0.9, 0.3, 0.04), (1.1, -0.2, 0.0), (0.5, 1.0, 0.25)):
        x = scale * x + shift + noise ** 0.5 * torch.randn(x.shape, generator=g, dtype=F64)
        law = law.affine(scale, shift, noise)
    ok, _, _ = stats.looks_standard_normal(law.standardize(x))
    assert ok
    wrong = Gaussian(law.mean + 0.05, law.var)
    assert not stats.looks_standard_normal(wrong.standardize(x))[0]


def test_the_device_spy_treats_the_models_constants_as_on_device():
    model = GaussianEps(BETAS, 0.5, 2.0)
    x, t = torch.randn(4, 3, dtype=F64), torch.tensor([1, 2, 3, 4])
    observed = run_on_device(lambda move: Recorder(model)(move(x), move(t)))
    assert observed["violations"] == [] and observed["result"].device.type == "meta"


def test_numpy_arrays_cross_the_wire_as_arrays():
    (frame,) = decode_frames(encode_frame({"a": np.arange(6.0).reshape(2, 3), "b": np.array(["x"], dtype=object)}))
    assert frame["a"].device == "numpy" and torch.equal(frame["a"].data, torch.arange(6.0, dtype=F64).reshape(2, 3))
    assert expect.kind_of(frame["a"]) == "a float64 numpy array of shape (2, 3)"
    assert frame["b"].type == "ndarray"


def tensor(t, device="cpu"):
    return TensorValue(t, str(t.dtype)[6:], tuple(t.shape), device, False)


@pytest.mark.parametrize("value, shape, expected", [
    (tensor(torch.ones(5, 1)), (5,), torch.ones(5)),
    (tensor(torch.ones(5)), (5, 1), torch.ones(5, 1)),
    (tensor(torch.arange(6.0).reshape(1, 2, 3)), (2, 3), torch.arange(6.0).reshape(2, 3)),
    ([tensor(torch.ones(3)), tensor(torch.zeros(3))], (2, 3), torch.stack([torch.ones(3), torch.zeros(3)])),
    ((1.0, 2.0), (2,), torch.tensor([1.0, 2.0])),
    (2.5, (), torch.tensor(2.5)),
    (tensor(torch.ones(3), "numpy"), (3,), torch.ones(3)),
])
def test_results_with_one_reading_are_read_so(value, shape, expected):
    assert torch.equal(expect.reading(value, shape), expected.to(F64) if isinstance(value, (list, tuple, float)) else expected)


@pytest.mark.parametrize("value, shape", [
    (tensor(torch.ones(5, 2)), (2, 5)),  # a transpose is not a reading
    (tensor(torch.ones(5)), (6,)),
    (tensor(torch.ones(2, 3)), (3, 2)),
    ([tensor(torch.ones(3))], (2, 3)),
    (tensor(torch.ones(3, dtype=torch.bool)), (3,)),
    (True, ()),
    (None, (3,)),
    (tensor(None if False else torch.ones(2)), (2, 2)),
])
def test_results_without_one_reading_are_not(value, shape):
    assert expect.reading(value, shape) is None
    with pytest.raises(expect.NotJudged):
        expect.judgeable(value, "a tensor", shape=shape)


def test_differ_prints_the_error_for_values_that_look_equal():
    want = torch.tensor([0.123456789, 2.0], dtype=F64)
    close = want * (1 + 4e-8)
    assert expect.differ(close, want).startswith("close but not within the tolerance: largest absolute error 8")
    assert "relative error 4e-08" in expect.differ(close, want)
    assert expect.differ(want + 1, want) == "got [1.123, 3], expected [0.1235, 2]"


def test_gained_eps_is_gaussian_eps_times_a_trainable_gain():
    from grader.sandbox.models import GainedEps

    model = GainedEps(BETAS, 0.5, 1.5)
    x, t = torch.randn(5, 2, dtype=F64), torch.tensor([0, 3, 7, 20, 39])
    assert torch.equal(model(x, t), GaussianEps(BETAS, 0.5, 1.5)(x, t))
    assert [n for n, p in model.named_parameters() if p.requires_grad] == ["gain"]
    model(x, t).pow(2).sum().backward()
    assert torch.allclose(model.gain.grad, 2 * GaussianEps(BETAS, 0.5, 1.5)(x, t).pow(2).sum())
