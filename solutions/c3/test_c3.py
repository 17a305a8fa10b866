"""Hidden checks of exercise c3, gradient_penalty(critic, real, fake).

The interpolation weights are random, so nothing compares the penalty with one seed's
number. From the interpolates x_hat the probes' recording critic saw, the grader recovers
eps_i = <x_hat_i - fake_i, real_i - fake_i> / ||real_i - fake_i||^2, checks that x_hat_i
lies on the segment, and tests eps as a distribution (grader.check.stats: each test fails a
correct solution with probability <= 1e-8). The penalty and the critic's parameter
gradients are then compared with their exact values at those x_hat, computed here with
autograd on a rebuilt critic, and, when wrong, with known wrong formulas evaluated at the
same points: a mistake is named only when its formula gives the student's penalty in every
wrong case, the MLP critic's among them (a linear critic's gradient norm is the same for
every sample, so many formulas agree there). The public check owns the result's type and
shape; the others judge values once the result is one number, and an exception the
function raised surfaces as the error it is.

Statistical tests of a run (grader.check.interpolates, shared with c10), each failing a correct
solution with probability <= 1e-8, below 1e-7 together: eps's distribution (KS against DKW) and
its mass below 0.01 and above 0.99 (binomial, Chernoff); the two calls and neighbouring samples
uncorrelated (2); no value repeated within a call, none of the second call's values found in the
first, no serial structure. Repeats are counted on eps rounded to 1e-9 (the recovery's own
rounding is ~1e-15; a uniform draw puts 1e-9 in one such cell, below stats.P_MAX). Following
torch.manual_seed (the same seed twice gives the same eps, another seed another) is judged by
equality alone.

What the grader judges itself: the inputs are rebuilt from the seed and compared with the bytes
sent after the call.
Shapes are drawn from the run's seed except the MLP cases' (see probes.py).
"""

from __future__ import annotations


import pytest
import torch
from torch import nn

from grader.check import expect, interpolates
from grader.check.expect import Mistake, NotJudged, StudentRaised, mistake
from grader.check.wire import TensorValue

from .probes import (F32, F64, LAMBDA, MLP, W_NORM, Case, basic_cases, linear_cases, make_inputs, make_net, sample_case,
                     seeds_case)

TOL = {F64: {"rtol": 1e-4, "atol": 1e-7}, F32: {"rtol": 3e-4, "atol": 1e-6}}
SEGMENT_TOL = {F64: 1e-7, F32: 1e-4}


def judge_net(case: Case) -> nn.Module:
    """The same network in float64, with exactly the values the student's critic holds."""
    return make_net(case).to(case.dtype).to(F64)


def penalty_tensor(entry: dict) -> TensorValue:
    """The penalty the function returned, once it is a tensor (the public check names what else it was)."""
    value = expect.returned(entry)
    expect.judgeable(value, "a tensor")
    return value


def one_number(entry: dict) -> torch.Tensor:
    """The penalty as a float64 0-dim tensor, once it is one number; else not judged."""
    return expect.judgeable(expect.returned(entry), "one number (a 0-dim tensor)", numel=1).reshape(())


# --- the public checks ----------------------------------------------------------------------

def calls_of(out: dict) -> list:
    """The shapes of the batches the critic was called on."""
    return out.get("calls") or []


def interpolates_seen(out: dict):
    """The rows the critic saw with requires_grad (None if none)."""
    x = out.get("x_hat")
    return x.data if isinstance(x, TensorValue) and x.data is not None else None


def one_penalty_per_sample(values: list, cases: list) -> bool:
    """The signature of a missing batch mean: every result is a tensor of shape (B,), and for the
    linear critic each of its values is (||w|| - 1)^2, the penalty of one sample."""
    per_sample = (W_NORM - 1) ** 2
    for case, value in zip(cases, values):
        if not (isinstance(value, TensorValue) and value.shape == (case.batch,)):
            return False
        if case.critic == "linear" and not (value.data is not None and expect.close(
                value.data, torch.full((case.batch,), per_sample), **TOL[case.dtype])):
            return False
    return True


def needs_fake_with_grad(basic: dict, linear: dict, shape: tuple) -> None:
    """Name the signature of interpolates that require grad only through fake: with plain real and
    fake, autograd.grad (in the student's own line) refuses x_hat, while with a fake that requires
    grad, as a generator's output does, the same code returns a penalty."""
    error = basic["case0"].get("error") or {}
    if not (error.get("type") == "RuntimeError" and "does not require grad" in str(error.get("message"))
            and error.get("frames") and all("result" in linear[key] for key in linear)):
        return
    where = "".join(f" (line {f['line']}: {f['code']})" for f in error["frames"][-1:])
    mistake("interpolates-without-grad", f"for a batch of shape {shape}, with real and fake plain tensors (as "
            f"a critic step passes fake.detach()), your function raised RuntimeError: {error['message']}{where}. Where "
            "fake required grad, as a generator's output does, it returned a penalty: your x_hat requires grad only "
            "through fake; make x_hat itself require grad, (eps * real + (1 - eps) * fake).detach().requires_grad_(True)")


@pytest.mark.public
@pytest.mark.points(1)
def test_returns_scalar_of_inputs_dtype(basic, linear, seed):
    """returns a finite 0-dim tensor of the inputs' dtype (batch 1, odd batch, 2-D and 4-D, float32/64)"""
    cases = basic_cases(seed)
    needs_fake_with_grad(basic, linear, cases[0].shape)
    for i, case in enumerate(cases):
        b, d = case.shape if len(case.shape) == 2 else (0, 0)
        if b > 1 and [b, 1, b, d] in calls_of(basic[f"case{i}"]):
            mistake("eps-shape-4d", f"for a batch of shape {case.shape} your critic was called on an x_hat of shape "
                    f"{(b, 1, b, d)}: eps of shape (B, 1, 1, 1) broadcast real and fake of shape (B, D) into a larger tensor")
    values = [expect.returned(basic[f"case{i}"]) for i in range(len(cases))]
    for case, value in zip(cases, values):
        what = f"the penalty for a batch of shape {case.shape}"
        if value is None:
            mistake("no-return", f"{what}: your function returned None; end it with `return` and the penalty")
        if isinstance(value, (float, int)) and not isinstance(value, bool):
            mistake("python-number", f"{what} is the Python {type(value).__name__} {value!r}, not a tensor: "
                    "return the tensor itself, so a training step can backpropagate through it")
        if not isinstance(value, TensorValue):
            mistake(None, f"{what} should be a tensor, but your function returned {expect.kind_of(value)}")
    if one_penalty_per_sample(values, cases):
        case = next(c for c in cases if c.batch > 1)
        mistake("no-batch-mean", f"for a batch of shape {case.shape} your penalty has shape ({case.batch},): one value "
                f"per sample, each (||grad|| - 1)^2 (= ({W_NORM} - 1)^2 for a linear critic with ||w|| = {W_NORM}), "
                "but no mean over the batch")
    for case, value in zip(cases, values):
        what = f"the penalty for a batch of shape {case.shape}"
        gp = expect.tensor(value, what, shape=(), dtype=str(case.dtype)[6:])
        if not torch.isfinite(gp):
            mistake(None, f"{what} is {gp.item()}")


@pytest.mark.public
@pytest.mark.points(1)
def test_leaves_inputs_unchanged(basic, seed):
    """leaves real and fake unchanged"""
    for i, case in enumerate(basic_cases(seed)):
        out = basic[f"case{i}"]
        penalty_tensor(out)  # no points for code that returns nothing
        real, fake = make_inputs(case, seed)
        expect.unchanged(real, out["real"], "real")
        expect.unchanged(fake, out["fake"], "fake")


# --- the interpolates ------------------------------------------------------------------------

def x_hat_of(out: dict, case: Case, owner: bool = False) -> torch.Tensor:
    """The interpolates the critic saw with requires_grad, as float64 rows (B, D). The segment
    check owns this fact; other checks are not judged when it cannot be read."""
    x, calls = interpolates_seen(out), calls_of(out)
    d = int(torch.Size(case.shape[1:]).numel())
    if x is None:
        message = (f"your critic was called {len(calls)} time(s) (input shapes {calls}), never on a batch that "
                   "requires grad: call it on x_hat after x_hat.requires_grad_(True), then differentiate the "
                   "scores with respect to x_hat")
    elif x.shape[1] != d or x.shape[0] < case.batch:
        message = (f"your critic saw {x.shape[0]} samples of {x.shape[1]} values with requires_grad; "
                   f"expected the {case.batch} interpolates x_hat, each of shape {case.shape[1:]}")
    else:
        return x.to(F64)[:case.batch]
    if owner:
        mistake(None, message)
    expect.not_judged("the interpolates your critic saw cannot be read (see the check of the interpolates)")


def recover_eps(x_hat: torch.Tensor, case: Case, seed: int):
    """eps_i with x_hat_i = eps_i real_i + (1 - eps_i) fake_i (least squares), and the relative residual."""
    return interpolates.recover_eps(x_hat, *make_inputs(case, seed))


def eps_along_one_dim(rel: torch.Tensor, d: torch.Tensor, case: Case, tol: float) -> bool:
    """Whether x_hat mixes real and fake with weights that depend on the position along dim -2
    alone, the same for every sample: the signature of eps of shape (B, 1) broadcast against a
    (B, C, H, W) batch whose H equals B."""
    if len(case.shape) < 3 or case.shape[-2] != case.batch:
        return False
    rel, d = rel.reshape(case.shape).movedim(-2, 0).flatten(1), d.reshape(case.shape).movedim(-2, 0).flatten(1)
    weights = (rel * d).sum(1) / (d * d).sum(1)  # one weight per position along dim -2
    residual = (rel - weights[:, None] * d).norm() / d.norm()
    return bool(residual <= tol and weights.std() > tol and weights.min() >= -tol and weights.max() <= 1 + tol)


def segment_failure(x_hat: torch.Tensor, case: Case, seed: int) -> tuple[torch.Tensor, Mistake | None]:
    """eps, and a Mistake naming the mistake when x_hat is not eps*real + (1-eps)*fake with eps in [0, 1]."""
    eps, residual, rel, d = recover_eps(x_hat, case, seed)
    tol = SEGMENT_TOL[case.dtype]
    if not torch.isfinite(x_hat).all():
        return eps, Mistake(None, "the critic was called on an x_hat that contains nan or inf")
    if (residual > tol).any():
        if eps_along_one_dim(rel, d, case, tol):
            return eps, Mistake("eps-shape-2d", f"for {case.describe()}, x_hat mixes real and fake with a weight that "
                                "changes along the height dim and is the same for every sample: eps of shape (B, 1) "
                                "was broadcast against the last two dims of the image batch")
        ratio = (rel / d)[d.abs() > 1e-3]
        if ratio.min() >= -tol and ratio.max() <= 1 + tol:
            return eps, Mistake("per-element-eps", f"x_hat_i is not on the straight line from fake_i to real_i (for {case.describe()}): "
                                "each element got its own mixing weight, e.g. x_hat[0] mixes real and fake with "
                                f"weights {expect.preview((rel / d)[0], 3)} in its first elements")
        return eps, Mistake(None, f"x_hat is not on the line through real and fake (for {case.describe()}): expected "
                            "x_hat = eps * real + (1 - eps) * fake with one eps per sample")
    if interpolates.endpoint(eps, tol):
        return eps, interpolates.endpoint(eps, tol)
    if eps.min() < -tol or eps.max() > 1 + tol:
        return eps, Mistake("eps-not-uniform", f"x_hat is on the line through real and fake but outside the segment: eps ranges from "
                            f"{eps.min():.3f} to {eps.max():.3f}, outside [0, 1]; eps must be uniform on [0, 1] "
                            "(torch.rand), not normal (torch.randn)")
    return eps, None


@pytest.mark.points(1)
def test_interpolates_lie_on_the_segment(mlp, seed):
    """the critic is differentiated at x_hat = eps*real + (1-eps)*fake, one eps in [0, 1] per sample"""
    for i, case in enumerate(MLP):
        penalty_tensor(mlp[f"case{i}"])
        _, failure = segment_failure(x_hat_of(mlp[f"case{i}"], case, owner=True), case, seed)
        if failure:
            raise failure


# --- the penalty's value ---------------------------------------------------------------------

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
    return right, wrong


def linear_results(linear: dict, seed: int):
    """(case, penalty, right value, known wrong ones, how the expectation reads) for each linear case."""
    results = []
    for i, case in enumerate(linear_cases(seed)):
        out = linear[f"case{i}"]
        got = one_number(out)
        w = judge_net(case).weight.detach()
        x = interpolates_seen(out)
        eps = None
        if x is not None and tuple(x.shape[1:]) == (w.shape[1],) and x.shape[0] >= case.batch:
            eps = recover_eps(x.to(F64)[:case.batch], case, seed)[0]
        right, wrong = known_penalties(w.expand(case.batch, -1), case, eps)
        results.append((case, got, right, wrong, f"(||w|| - 1)^2 = ({w.norm():.4g} - 1)^2 = "))
    return results


def mlp_results(mlp: dict, seed: int):
    """The same for each MLP case, at the interpolates the critic saw."""
    results = []
    for i, case in enumerate(MLP):
        out = mlp[f"case{i}"]
        got = one_number(out)
        x_hat = x_hat_of(out, case)
        eps, _, _, _ = recover_eps(x_hat, case, seed)
        right, wrong = known_penalties(gradients_at(judge_net(case), x_hat), case, eps)
        results.append((case, got, right, wrong, ""))
    return results


def evidence(results_of, out: dict, seed: int) -> list:
    """Another probe's results, as further evidence for a diagnosis; none when they cannot be read."""
    try:
        return results_of(out, seed)
    except (StudentRaised, NotJudged):
        return []


def is_wrong(result) -> bool:
    case, got, right, _, _ = result
    return not expect.close(got, right.detach(), **TOL[case.dtype])


def judge_penalties(results, others) -> None:
    """Fail on the first of `results` whose penalty is wrong, naming the mistake whose formula gives
    the student's value in every wrong case of `results` and `others` (one case alone can match a
    formula by chance), provided an MLP case is among them: with a linear critic every sample has
    the same gradient norm, so many formulas, known or not, agree there.

    results: (case, student's value, correct value, known wrong ones, how the expectation reads).
    """
    wrong_cases = [r for r in results if is_wrong(r)]
    if not wrong_cases:
        return
    evidence_cases = wrong_cases + [r for r in others if is_wrong(r)]
    cases = [(got, {m: tuple(v.detach() for k, v, _ in wrong if k == m) for m, _, _ in wrong})
             for _, got, _, wrong, _ in evidence_cases]
    named = expect.explained_by(cases, rtol=1e-4, atol=1e-7)
    if not any(case.critic == "mlp" for case, *_ in evidence_cases):
        named = None
    case, got, right, wrong, how = wrong_cases[0]
    message = f"your penalty is {got:.6g}, expected {how}{right:.6g} for {case.describe()}"
    what = next((w for k, v, w in wrong if k == named and expect.close(got, v.detach(), rtol=1e-4, atol=1e-7)), None)
    mistake(named, f"{message}.\nYours equals {what}." if what else message)


@pytest.mark.points(1)
def test_exact_for_a_linear_critic(linear, mlp, seed):
    """a linear critic with ||w|| = 0.6 gives exactly (0.6 - 1)^2 = 0.16, whatever eps"""
    judge_penalties(linear_results(linear, seed), evidence(mlp_results, mlp, seed))


@pytest.mark.points(2)
def test_penalty_at_the_interpolates(mlp, linear, seed):
    """the penalty equals mean((||grad critic(x_hat)|| - 1)^2) at the x_hat your code used"""
    judge_penalties(mlp_results(mlp, seed), evidence(linear_results, linear, seed))


@pytest.mark.points(1)
def test_differentiable_wrt_the_critic(mlp, seed):
    """the penalty backpropagates into the critic's parameters (create_graph=True), with the right gradients"""
    results = mlp_results(mlp, seed)
    if any(is_wrong(r) for r in results):
        expect.not_judged("your penalty's value is not right yet (see the check of its value); its gradients with "
                          "respect to the critic are judged once it is")
    for i, (case, _, right, _, _) in enumerate(results):
        grads = mlp[f"case{i}"].get("grads")
        if isinstance(grads, str):
            mistake(None, f"backpropagating your penalty into the critic failed: {grads}")
        if grads is None:
            mistake("create-graph-missing", "your penalty has the right value but does not depend on the critic's "
                    "parameters through autograd (penalty.requires_grad is False), so a training step cannot lower it")
        if not any(g is not None and g.data is not None and torch.any(g.data != 0) for g in grads):
            mistake("create-graph-missing", "backpropagating your penalty gives every parameter of the critic a zero "
                    "gradient: the penalty is cut off from the critic")
        net = judge_net(case)
        x_hat = x_hat_of(mlp[f"case{i}"], case)
        right = known_penalties(gradients_at(net, x_hat), case, None)[0]
        want = torch.autograd.grad(right, list(net.parameters()), allow_unused=True)
        for (name, parameter), g, w in zip(net.named_parameters(), grads, want):
            w = torch.zeros_like(parameter) if w is None else w.detach()
            g = torch.zeros_like(w) if g is None or g.data is None else g.data.to(F64)
            if not expect.close(g, w, rtol=1e-3, atol=2e-3 * float(w.abs().max())):  # eps in a sqrt: ~1e-4
                mistake(None, f"for {case.describe()}, the gradient of your penalty with respect to the critic's "
                        f"parameter {name} is {expect.preview(g)}, expected {expect.preview(w)}")


# --- eps as a distribution -------------------------------------------------------------------

def sample_eps(out: dict, call: str, seed: int, case: Case) -> torch.Tensor:
    penalty_tensor(out[call])
    eps, failure = segment_failure(x_hat_of(out[call], case), case, seed)
    if failure:
        raise failure
    return eps


@pytest.mark.points(1)
def test_eps_is_uniform(sample, seed):
    """eps recovered from x_hat follows U(0, 1), one draw per sample"""
    interpolates.judge_uniform(sample_eps(sample, "call1", seed, sample_case(seed)))


@pytest.mark.points(1)
def test_eps_fresh_on_every_call(sample, seeds, seed):
    """eps is drawn independently for each sample and afresh on every call, following torch.manual_seed"""
    case = sample_case(seed)
    interpolates.judge_fresh(sample_eps(sample, "call1", seed, case), sample_eps(sample, "call2", seed, case))
    eps = [sample_eps({"call": expect.returned(seeds[name])}, "call", seed + k, seeds_case(seed))
           for k, name in enumerate(("first", "again", "other"))]
    interpolates.judge_global_seed(*eps)


@pytest.mark.points(1)
def test_result_on_inputs_device(device):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the penalty")
