"""Hidden checks of exercise c3, gradient_penalty(critic, real, fake).

The interpolation weights are random, so nothing compares the penalty with one seed's
number. From the interpolates x_hat the probes' recording critic saw, the grader recovers
eps_i = <x_hat_i - fake_i, real_i - fake_i> / ||real_i - fake_i||^2, checks that x_hat_i
lies on the segment, and tests eps as a distribution (grader.check.stats: each test fails a
correct solution with probability <= 1e-8). The penalty and the critic's parameter
gradients are then compared with their exact values at those x_hat, computed here with
autograd on a rebuilt critic, and with known wrong formulas evaluated at the same points to
name the mistake (`judge_penalties` names one only when its formula explains every wrong
case). A linear critic (gradient w everywhere) gives an exact, eps-independent value.
"""

from __future__ import annotations

import pytest
import torch
from torch import nn

from grader.check import expect, stats
from grader.check.expect import Mistake
from grader.check.wire import TensorValue

from .probes import BASIC, F32, F64, LAMBDA, LINEAR, MLP, SAMPLE, W_NORM, Case, make_inputs, make_net

TOL = {F64: {"rtol": 1e-4, "atol": 1e-7}, F32: {"rtol": 3e-4, "atol": 1e-6}}
SEGMENT_TOL = {F64: 1e-7, F32: 1e-4}


def judge_net(case: Case) -> nn.Module:
    """The same network in float64, with exactly the values the student's critic holds."""
    return make_net(case).to(case.dtype).to(F64)


def penalty_value(value, case: Case, per_sample=None) -> torch.Tensor:
    """The student's penalty as a float64 scalar; fails when it is not one number."""
    t = expect.tensor(value, f"the penalty (for {case.describe()})").to(F64)
    if t.numel() == 1:
        return t.reshape(())
    if per_sample is not None and t.shape == (case.batch,) and expect.close(t, per_sample, **TOL[case.dtype]):
        raise Mistake("no-batch-mean", f"your penalty has shape {tuple(t.shape)}: one value per sample, (||grad|| - 1)^2, "
                   "but no mean over the batch")
    raise Mistake(None, f"your penalty has shape {tuple(t.shape)}; it should be one number (a 0-dim tensor), "
               "the mean over the batch")


def x_hat_of(out: dict, case: Case) -> torch.Tensor:
    """The interpolates the critic saw with requires_grad, as float64 rows (B, D)."""
    x = out.get("x_hat")
    if x is None or x.data is None:
        calls = out.get("calls") or []
        raise Mistake(None, f"your critic was called {len(calls)} time(s) (input shapes {calls}), never on a batch that "
                   "requires grad: call it on x_hat after x_hat.requires_grad_(True), then differentiate the "
                   "scores with respect to x_hat")
    rows = x.data.to(F64)
    d = int(torch.Size(case.shape[1:]).numel())
    if rows.shape[1] != d or rows.shape[0] < case.batch:
        raise Mistake(None, f"your critic saw {rows.shape[0]} samples of {rows.shape[1]} values with requires_grad; expected "
                   f"the {case.batch} interpolates x_hat, each of shape {case.shape[1:]}")
    return rows[:case.batch]


def recover_eps(x_hat: torch.Tensor, case: Case, seed: int):
    """eps_i with x_hat_i = eps_i real_i + (1 - eps_i) fake_i (least squares), and the relative residual."""
    real, fake = (t.to(F64).flatten(1) for t in make_inputs(case, seed))
    d, rel = real - fake, x_hat - fake
    eps = (rel * d).sum(1) / (d * d).sum(1)
    residual = (rel - eps[:, None] * d).norm(dim=1) / d.norm(dim=1)
    return eps, residual, rel, d


def segment_failure(x_hat: torch.Tensor, case: Case, seed: int) -> tuple[torch.Tensor, Mistake | None]:
    """eps, and a Mistake naming the mistake when x_hat is not eps*real + (1-eps)*fake with eps in [0, 1]."""
    eps, residual, rel, d = recover_eps(x_hat, case, seed)
    tol = SEGMENT_TOL[case.dtype]
    if not torch.isfinite(x_hat).all():
        return eps, Mistake(None, "the critic was called on an x_hat that contains nan or inf")
    if (residual > tol).any():
        ratio = (rel / d)[d.abs() > 1e-3]
        if ratio.min() >= -tol and ratio.max() <= 1 + tol:
            return eps, Mistake("per-element-eps", f"x_hat_i is not on the straight line from fake_i to real_i (for {case.describe()}): "
                             "each element got its own mixing weight, e.g. x_hat[0] mixes real and fake with "
                             f"weights {expect.preview((rel / d)[0], 3)} in its first elements")
        return eps, Mistake(None, f"x_hat is not on the line through real and fake (for {case.describe()}): expected "
                         "x_hat = eps * real + (1 - eps) * fake with one eps per sample")
    if (eps - 1).abs().max() <= tol:
        return eps, Mistake("critic-not-at-interpolates", "your critic was differentiated at `real` itself (eps = 1 for every sample), "
                         "not at random interpolates between real and fake")
    if eps.abs().max() <= tol:
        return eps, Mistake("critic-not-at-interpolates", "your critic was differentiated at `fake` itself (eps = 0 for every sample), "
                         "not at random interpolates between real and fake")
    if eps.min() < -tol or eps.max() > 1 + tol:
        return eps, Mistake("eps-not-uniform", f"x_hat is on the line through real and fake but outside the segment: eps ranges from "
                         f"{eps.min():.3f} to {eps.max():.3f}, outside [0, 1]; eps must be uniform on [0, 1] "
                         "(torch.rand), not normal (torch.randn)")
    return eps, None


def gradients_at(net: nn.Module, x_hat: torch.Tensor):
    """Per-sample gradients of the critic at x_hat (rows), differentiable w.r.t. the parameters."""
    x = x_hat.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(net(x).sum(), x, create_graph=True)
    return g


def known_penalties(g: torch.Tensor, case: Case, eps: torch.Tensor | None):
    """The correct penalty for per-sample gradients g (B, D), then (misconception, value, what it is)."""
    n = g.norm(dim=1)
    b = g.shape[0]
    right = ((n - 1) ** 2).mean()
    wrong = [
        ("squared-norm", ((n ** 2 - 1) ** 2).mean(), "mean((||grad||^2 - 1)^2), with the squared norm"),
        ("missing-minus-one", (n ** 2).mean(), "mean(||grad||^2), without the '- 1'"),
        ("sum-over-batch", ((n - 1) ** 2).sum(), "the sum over the batch of (||grad|| - 1)^2, not the mean"),
        ("abs-not-square", (n - 1).abs().mean(), "mean(| ||grad|| - 1 |), the absolute value, not the square"),
        ("one-sided", ((n - 1).clamp(min=0) ** 2).mean(), "mean(max(||grad|| - 1, 0)^2), which ignores norms below 1"),
        ("square-of-mean", (n - 1).mean() ** 2, "(mean(||grad|| - 1))^2, the square of the mean"),
        ("lambda-included", LAMBDA * right,
         f"{LAMBDA:g} * mean((||grad|| - 1)^2): the penalty already multiplied by lambda"),
        ("mean-scores-grad", ((n / b - 1) ** 2).mean(),
         f"the penalty of grad / {b}: the gradient of critic(x_hat).mean() divides every gradient by the batch size"),
    ]
    full = g.reshape(case.shape)
    if full.dim() > 2:
        wrong.append(("norm-wrong-dims", ((full.norm(dim=1) - 1) ** 2).mean(),
                      "the penalty with the norm over dim 1 (the channels) only"))
        wrong.append(("norm-wrong-dims", ((full.norm(dim=-1) - 1) ** 2).mean(),
                      "the penalty with the norm over the last dim only"))
    wrong.append(("norm-wrong-dims", (g.norm() - 1) ** 2, "(||grad|| - 1)^2 with one norm over the whole batch"))
    wrong.append(("norm-wrong-dims", ((g.norm(dim=0) - 1) ** 2).mean(),
                  "the penalty with the norms taken over the batch dim (dim 0)"))
    if eps is not None:
        wrong.append(("grad-wrt-real", ((eps * n - 1) ** 2).mean(),
                      "the penalty of d critic(x_hat) / d real = eps * grad: the gradient with respect to real, "
                      "not x_hat"))
    return right, (n - 1) ** 2, wrong


def judge_penalties(results) -> None:
    """Fail on the first case whose penalty is wrong, naming the mistake whose formula gives
    the student's value in every wrong case (one case alone can match a formula by chance).

    `results`: (case, student's value, correct value, known wrong ones, how the expectation reads).
    """
    wrong_cases = [r for r in results if not expect.close(r[1], r[2].detach(), **TOL[r[0].dtype])]
    if not wrong_cases:
        return

    def matches(got, wrong):
        return [(mistake, what) for mistake, value, what in wrong
                if expect.close(got, value.detach(), rtol=1e-4, atol=1e-7)]

    consistent = set.intersection(*({m for m, _ in matches(r[1], r[3])} for r in wrong_cases))
    case, got, right, wrong, how = wrong_cases[0]
    message = f"your penalty is {got:.6g}, expected {how}{right:.6g} for {case.describe()}"
    for mistake, what in matches(got, wrong):
        if mistake in consistent:
            raise Mistake(mistake, f"{message}.\nYours equals {what}.")
    raise Mistake(None, message)


# --- verdicts ----------------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_scalar_of_inputs_dtype(basic):
    """returns a finite 0-dim tensor of the inputs' dtype (batch 1, odd batch, 2-D and 4-D, float32/64)"""
    for i, case in enumerate(BASIC):
        what = f"the penalty for a batch of shape {case.shape}"
        value = basic[f"gp{i}"]
        if not isinstance(value, TensorValue):
            raise Mistake(None, f"{what} should be a tensor, but your function returned {expect.kind_of(value)}: "
                       "return the tensor itself (no .item()), so a training step can backpropagate through it")
        gp = expect.tensor(value, what, dtype=str(case.dtype)[6:])
        if gp.dim() != 0:
            per_sample = gp.shape == (case.batch,) and case.batch > 1
            raise Mistake("no-batch-mean" if per_sample else None, f"{what} has shape {tuple(gp.shape)}; expected a 0-dim tensor: the mean over the batch "
                       "of (||grad|| - 1)^2")
        if not torch.isfinite(gp):
            raise Mistake(None, f"{what} is {gp.item()}")


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_inputs_unchanged(basic, seed):
    """leaves real and fake unchanged"""
    for i, case in enumerate(BASIC):
        expect.tensor(basic[f"gp{i}"], f"the penalty for a batch of shape {case.shape}")  # the call must have worked
        real, fake = make_inputs(case, seed)
        expect.unchanged(real, basic[f"real{i}"], "real")
        expect.unchanged(fake, basic[f"fake{i}"], "fake")


@pytest.mark.points(1)
def test_exact_for_a_linear_critic(linear, seed):
    """a linear critic with ||w|| = 0.6 gives exactly (0.6 - 1)^2 = 0.16, whatever eps"""
    results = []
    for i, case in enumerate(LINEAR):
        res = linear[f"case{i}"]
        w = judge_net(case).weight.detach()
        g = w.expand(case.batch, -1)
        eps = None
        if res.get("x_hat") is not None and res["x_hat"].data is not None:
            try:
                eps = recover_eps(x_hat_of(res, case), case, seed)[0]
            except Mistake:
                eps = None
        right, per_sample, wrong = known_penalties(g, case, eps)
        got = penalty_value(res["gp"], case, per_sample)
        results.append((case, got, right, wrong, f"(||w|| - 1)^2 = ({w.norm():.4g} - 1)^2 = "))
    judge_penalties(results)


@pytest.mark.points(1)
def test_interpolates_lie_on_the_segment(mlp, seed):
    """the critic is differentiated at x_hat = eps*real + (1-eps)*fake, one eps in [0, 1] per sample"""
    for i, case in enumerate(MLP):
        _, failure = segment_failure(x_hat_of(mlp[f"case{i}"], case), case, seed)
        if failure:
            raise failure


@pytest.mark.points(2)
def test_penalty_at_the_interpolates(mlp, seed):
    """the penalty equals mean((||grad critic(x_hat)|| - 1)^2) at the x_hat your code used"""
    results = []
    for i, case in enumerate(MLP):
        res = mlp[f"case{i}"]
        x_hat = x_hat_of(res, case)
        eps, _, _, _ = recover_eps(x_hat, case, seed)
        right, per_sample, wrong = known_penalties(gradients_at(judge_net(case), x_hat), case, eps)
        got = penalty_value(res["gp"], case, per_sample)
        results.append((case, got, right, wrong, ""))
    judge_penalties(results)


@pytest.mark.points(1)
def test_differentiable_wrt_the_critic(mlp, seed):
    """the penalty backpropagates into the critic's parameters (create_graph=True), with the right gradients"""
    for i, case in enumerate(MLP):
        res = mlp[f"case{i}"]
        grads = res.get("grads")
        if isinstance(grads, str):
            raise Mistake(None, f"backpropagating your penalty into the critic failed: {grads}")
        if grads is None:
            raise Mistake("create-graph-missing", "your penalty does not depend on the critic's parameters through autograd "
                       "(penalty.requires_grad is False), so a training step cannot lower it")
        if not any(g is not None and g.data is not None and torch.any(g.data != 0) for g in grads):
            raise Mistake("create-graph-missing", "backpropagating your penalty gives every parameter of the critic a zero gradient: "
                       "the penalty is cut off from the critic")
        x_hat = x_hat_of(res, case)
        net = judge_net(case)
        right, _, _ = known_penalties(gradients_at(net, x_hat), case, None)
        gp = res["gp"]
        if not (isinstance(gp, TensorValue) and gp.data is not None and gp.data.numel() == 1
                and expect.close(gp.data.reshape(()), right.detach(), **TOL[case.dtype])):
            continue  # a wrong penalty is reported by the other checks; its gradients cannot be judged here
        names = [name for name, _ in net.named_parameters()]
        want = torch.autograd.grad(right, list(net.parameters()), allow_unused=True)
        for name, g, w in zip(names, grads, want):
            w = torch.zeros_like(net.get_parameter(name)) if w is None else w.detach()
            g = torch.zeros_like(w) if g is None or g.data is None else g.data.to(F64)
            if not expect.close(g, w, rtol=1e-3, atol=2e-3 * float(w.abs().max())):  # eps in a sqrt: ~1e-4
                raise Mistake(None, f"for {case.describe()}, the gradient of your penalty with respect to the critic's "
                           f"parameter {name} is {expect.preview(g)}, expected {expect.preview(w)}")


def degenerate(eps: torch.Tensor) -> Mistake | None:
    """A Mistake naming the mistake when every sample of the batch has the same eps."""
    if eps.std() > 1e-6:
        return None
    if (eps - 0.5).abs().max() < 1e-6:
        return Mistake("eps-constant", "eps = 0.5 for every sample: x_hat is always the midpoint of real and fake")
    return Mistake("eps-shared-batch", f"every sample of the batch uses the same eps ({eps[0]:.4f})")


def sample_eps(out: dict, call: str, seed: int) -> torch.Tensor:
    eps, failure = segment_failure(x_hat_of(out[call], SAMPLE), SAMPLE, seed)
    if failure:
        raise failure
    return eps


@pytest.mark.points(1)
def test_eps_is_uniform(sample, seed):
    """eps recovered from x_hat follows U(0, 1), one draw per sample"""
    eps = sample_eps(sample, "call1", seed)
    ok, distance, limit = stats.looks_uniform(eps)
    if ok:
        return
    raise degenerate(eps) or Mistake("eps-not-uniform", f"eps recovered from x_hat is not uniform on [0, 1]: mean {eps.mean():.3f} (expected 0.5), std "
        f"{eps.std():.3f} (expected 0.289); KS distance {distance:.3f} > {limit:.3f}")


@pytest.mark.points(1)
def test_eps_fresh_on_every_call(sample, seed):
    """eps is drawn independently for each sample and afresh on every call"""
    eps1, eps2 = sample_eps(sample, "call1", seed), sample_eps(sample, "call2", seed)
    failure = degenerate(eps1) or degenerate(eps2)
    if failure:
        raise failure
    z1, z2 = (torch.special.ndtri(e.clamp(1e-12, 1 - 1e-12)) for e in (eps1, eps2))
    if torch.allclose(eps1, eps2, rtol=0, atol=1e-9):
        raise Mistake("eps-reused", "two calls with the same real and fake used exactly the same eps")
    if not stats.looks_uncorrelated(z1, z2):
        raise Mistake("eps-reused", "the eps of two calls with the same real and fake are correlated")
    if not stats.looks_uncorrelated(z1[0::2], z1[1::2]):
        raise Mistake(None, "the eps of neighbouring samples are correlated: draw one independent eps per sample")


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the penalty")
