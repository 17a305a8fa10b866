"""Hidden checks of exercise c3, gradient_penalty(critic, real, fake).

The interpolation weights are random, so nothing compares the penalty with one seed's
number. The student's function gets a critic built here (an nn.Module made from a seed)
that keeps a copy of every batch it is called on. From the recorded interpolates x_hat
the judge recovers eps_i = <x_hat_i - fake_i, real_i - fake_i> / ||real_i - fake_i||^2,
checks that x_hat_i lies on the segment, and tests eps as a distribution (grader.check.stats:
each test fails a correct solution with probability <= 1e-8). The penalty and the
critic's parameter gradients are then compared with their exact values at those x_hat,
computed here with autograd on a rebuilt critic, and with known wrong formulas evaluated
at the same points to name the mistake. A linear critic (gradient w everywhere) gives an
exact, eps-independent value.

Helpers kept here rather than in grader/: `RecordingCritic` (the critic handed to the
student), `judge_penalties` (names a mistake only when its formula explains every wrong
case).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import nn

from grader.check import expect
from grader.check import stats
from grader.sandbox.device_spy import run_on_device
from grader.sandbox.probing import seeded
from grader.check.suite import Fail, Suite
from grader.check.wire import TensorValue

suite = Suite(function="gradient_penalty")
F64, F32 = torch.float64, torch.float32
W_NORM = 0.6  # ||w|| of the linear critics: below 1, and no wrong formula gives (0.6 - 1)^2 = 0.16
HIDDEN = 8
LAMBDA = 10  # the usual weight of the penalty, which the caller applies


@dataclass(frozen=True)
class Case:
    shape: tuple
    dtype: torch.dtype
    seed: int
    critic: str  # "linear": scores (B, 1); "mlp": a tanh MLP, scores (B,)
    centers: tuple = ()  # per sample, how far from the origin real and fake sit (saturates the MLP)

    @property
    def batch(self) -> int:
        return self.shape[0]

    def describe(self) -> str:
        kind = f"a linear critic (gradient w with ||w|| = {W_NORM} everywhere)" if self.critic == "linear" \
            else "a small tanh MLP critic"
        return f"{kind}, a batch of {self.batch} inputs of shape {self.shape[1:]}, {str(self.dtype)[6:]}"


BASIC = [Case((5, 2, 3, 3), F64, 1, "linear"), Case((1, 6), F32, 2, "mlp"), Case((7, 6), F64, 3, "mlp"),
         Case((3, 2, 3, 3), F32, 4, "linear")]
LINEAR = [Case((5, 2, 3, 3), F64, 11, "linear"), Case((5, 2, 3, 3), F32, 12, "linear")]
# Samples 1 and 3 (2-D) and 1 (4-D) sit where the tanh units saturate: gradient norm < 1 all
# along their segments; the others have norms > 1 (one-sided and two-sided penalties differ).
MLP = [Case((5, 6), F64, 21, "mlp", (0, 8, 0, 8, 0)), Case((3, 2, 3, 3), F32, 22, "mlp", (0, 20, 0))]
SAMPLE = Case((4000, 3), F64, 31, "linear")
DEVICE_CASE = Case((4, 2, 2, 2), F32, 41, "mlp")
TOL = {F64: {"rtol": 1e-4, "atol": 1e-7}, F32: {"rtol": 3e-4, "atol": 1e-6}}
SEGMENT_TOL = {F64: 1e-7, F32: 1e-4}


# --- critics and inputs: built identically in the student's process and in the judge ------

class RecordingCritic(nn.Module):
    """A critic that keeps a detached copy of every batch it is called on."""

    def __init__(self, net: nn.Module, flat_scores: bool):
        super().__init__()
        self.net = net
        self.flat_scores = flat_scores
        self.seen: list[tuple[torch.Tensor, bool]] = []

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        self.seen.append((x.detach().clone(), bool(x.requires_grad)))
        scores = self.net(x.flatten(1))
        return scores.squeeze(-1) if self.flat_scores else scores


def make_net(case: Case) -> nn.Module:
    """The critic's network on flattened inputs, in float64 (cast to the case's dtype by the caller)."""
    g = seeded(1000 + case.seed)
    d = int(torch.Size(case.shape[1:]).numel())
    if case.critic == "linear":
        net = nn.Linear(d, 1, dtype=F64)
        w = torch.randn(d, generator=g, dtype=F64)
        with torch.no_grad():
            net.weight.copy_(W_NORM * w / w.norm())
            net.bias.fill_(0.1)
        return net
    w1 = torch.randn(HIDDEN, d, generator=g, dtype=F64) / d ** 0.5
    c = 0.3 * torch.randn(HIDDEN, generator=g, dtype=F64)
    v = torch.randn(HIDDEN, generator=g, dtype=F64)
    v = v * 1.5 / (w1.T @ (v * (1 - torch.tanh(c) ** 2))).norm()  # gradient norm 1.5 at the origin
    net = nn.Sequential(nn.Linear(d, HIDDEN, dtype=F64), nn.Tanh(), nn.Linear(HIDDEN, 1, dtype=F64))
    with torch.no_grad():
        net[0].weight.copy_(w1)
        net[0].bias.copy_(c)
        net[2].weight.copy_(v.unsqueeze(0))
        net[2].bias.fill_(0.05)
    return net


def make_critic(case: Case) -> RecordingCritic:
    return RecordingCritic(make_net(case).to(case.dtype), flat_scores=case.critic == "mlp")


def judge_net(case: Case) -> nn.Module:
    """The same network in float64, with exactly the values the student's critic holds."""
    return make_net(case).to(case.dtype).to(F64)


def make_inputs(case: Case) -> tuple[torch.Tensor, torch.Tensor]:
    g = seeded(case.seed)
    shape, lead = case.shape, (-1,) + (1,) * (len(case.shape) - 1)
    if case.centers:
        direction = torch.randn(shape, generator=g, dtype=F64)
        direction = direction / direction.flatten(1).norm(dim=1).view(lead)
        center = torch.tensor(case.centers, dtype=F64).view(lead) * direction
        real = center + 0.5 * torch.randn(shape, generator=g, dtype=F64)
        fake = center + 0.5 * torch.randn(shape, generator=g, dtype=F64)
    else:
        real = torch.randn(shape, generator=g, dtype=F64)
        step = torch.randn(shape, generator=g, dtype=F64)
        length = 1 + torch.rand(shape[0], generator=g, dtype=F64)  # ||real - fake|| in [1, 2]: eps is well recovered
        fake = real + (length / step.flatten(1).norm(dim=1)).view(lead) * step
    return real.to(case.dtype), fake.to(case.dtype)


# --- probes: run in the student's process ----------------------------------------------

def interpolates_seen(critic: RecordingCritic):
    """The batches the critic saw with requires_grad, one row per sample (None if none)."""
    rows = [x.flatten(1) for x, requires_grad in critic.seen if requires_grad and x.dim() >= 2]
    try:
        return torch.cat(rows) if rows else None
    except RuntimeError:
        return None


def parameter_grads(critic: RecordingCritic, gp):
    """Backpropagate the penalty into the critic: its parameters' grads, or why not."""
    if not (isinstance(gp, torch.Tensor) and gp.requires_grad):
        return None
    try:
        gp.sum().backward()
    except RuntimeError as exc:
        return f"{type(exc).__name__}: {exc}"[:300]
    return [p.grad for p in critic.parameters()]


def run_case(gradient_penalty, case: Case, *, backward: bool = True):
    critic = make_critic(case)
    real, fake = make_inputs(case)
    gp = gradient_penalty(critic, real, fake)
    out = {"gp": gp, "x_hat": interpolates_seen(critic), "calls": [list(x.shape) for x, _ in critic.seen]}
    if backward:
        out["grads"] = parameter_grads(critic, gp)
    return out


@suite.probe
def basic(gradient_penalty):
    out = {}
    for i, case in enumerate(BASIC):
        critic = make_critic(case)
        real, fake = make_inputs(case)
        out[f"gp{i}"] = gradient_penalty(critic, real, fake)
        out[f"real{i}"], out[f"fake{i}"] = real, fake
    return out


@suite.probe
def linear(gradient_penalty):
    return {f"case{i}": run_case(gradient_penalty, case) for i, case in enumerate(LINEAR)}


@suite.probe
def mlp(gradient_penalty):
    return {f"case{i}": run_case(gradient_penalty, case) for i, case in enumerate(MLP)}


@suite.probe
def sample(gradient_penalty):
    return {f"call{i}": run_case(gradient_penalty, SAMPLE, backward=False) for i in (1, 2)}


@suite.probe
def device(gradient_penalty):
    critic, (real, fake) = make_critic(DEVICE_CASE), make_inputs(DEVICE_CASE)
    return run_on_device(lambda move: gradient_penalty(critic, move(real), move(fake)))


# --- verdict helpers: run in the grader's process --------------------------------------

def penalty_value(value, case: Case, per_sample=None) -> torch.Tensor:
    """The student's penalty as a float64 scalar; Fail when it is not one number."""
    t = expect.tensor(value, f"the penalty (for {case.describe()})").to(F64)
    if t.numel() == 1:
        return t.reshape(())
    if per_sample is not None and t.shape == (case.batch,) and expect.close(t, per_sample, **TOL[case.dtype]):
        raise Fail(f"your penalty has shape {tuple(t.shape)}: one value per sample, (||grad|| - 1)^2, "
                   "but no mean over the batch", "no-batch-mean")
    raise Fail(f"your penalty has shape {tuple(t.shape)}; it should be one number (a 0-dim tensor), "
               "the mean over the batch")


def x_hat_of(out: dict, case: Case) -> torch.Tensor:
    """The interpolates the critic saw with requires_grad, as float64 rows (B, D)."""
    x = out.get("x_hat")
    if x is None or x.data is None:
        calls = out.get("calls") or []
        raise Fail(f"your critic was called {len(calls)} time(s) (input shapes {calls}), never on a batch that "
                   "requires grad: call it on x_hat after x_hat.requires_grad_(True), then differentiate the "
                   "scores with respect to x_hat")
    rows = x.data.to(F64)
    d = int(torch.Size(case.shape[1:]).numel())
    if rows.shape[1] != d or rows.shape[0] < case.batch:
        raise Fail(f"your critic saw {rows.shape[0]} samples of {rows.shape[1]} values with requires_grad; expected "
                   f"the {case.batch} interpolates x_hat, each of shape {case.shape[1:]}")
    return rows[:case.batch]


def recover_eps(x_hat: torch.Tensor, case: Case):
    """eps_i with x_hat_i = eps_i real_i + (1 - eps_i) fake_i (least squares), and the relative residual."""
    real, fake = (t.to(F64).flatten(1) for t in make_inputs(case))
    d, rel = real - fake, x_hat - fake
    eps = (rel * d).sum(1) / (d * d).sum(1)
    residual = (rel - eps[:, None] * d).norm(dim=1) / d.norm(dim=1)
    return eps, residual, rel, d


def segment_failure(x_hat: torch.Tensor, case: Case) -> tuple[torch.Tensor, Fail | None]:
    """eps, and a Fail naming the mistake when x_hat is not eps*real + (1-eps)*fake with eps in [0, 1]."""
    eps, residual, rel, d = recover_eps(x_hat, case)
    tol = SEGMENT_TOL[case.dtype]
    if not torch.isfinite(x_hat).all():
        return eps, Fail("the critic was called on an x_hat that contains nan or inf")
    if (residual > tol).any():
        ratio = (rel / d)[d.abs() > 1e-3]
        if ratio.min() >= -tol and ratio.max() <= 1 + tol:
            return eps, Fail(f"x_hat_i is not on the straight line from fake_i to real_i (for {case.describe()}): "
                             "each element got its own mixing weight, e.g. x_hat[0] mixes real and fake with "
                             f"weights {expect.preview((rel / d)[0], 3)} in its first elements", "per-element-eps")
        return eps, Fail(f"x_hat is not on the line through real and fake (for {case.describe()}): expected "
                         "x_hat = eps * real + (1 - eps) * fake with one eps per sample")
    if (eps - 1).abs().max() <= tol:
        return eps, Fail("your critic was differentiated at `real` itself (eps = 1 for every sample), "
                         "not at random interpolates between real and fake", "critic-not-at-interpolates")
    if eps.abs().max() <= tol:
        return eps, Fail("your critic was differentiated at `fake` itself (eps = 0 for every sample), "
                         "not at random interpolates between real and fake", "critic-not-at-interpolates")
    if eps.min() < -tol or eps.max() > 1 + tol:
        return eps, Fail(f"x_hat is on the line through real and fake but outside the segment: eps ranges from "
                         f"{eps.min():.3f} to {eps.max():.3f}, outside [0, 1]; eps must be uniform on [0, 1] "
                         "(torch.rand), not normal (torch.randn)", "eps-not-uniform")
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
            raise Fail(f"{message}.\nYours equals {what}.", mistake)
    raise Fail(message)


# --- verdicts ----------------------------------------------------------------------------

@suite.check(basic, points=1, public=True)
def returns_scalar_of_inputs_dtype(out, ref):
    """returns a finite 0-dim tensor of the inputs' dtype (batch 1, odd batch, 2-D and 4-D, float32/64)"""
    for i, case in enumerate(BASIC):
        what = f"the penalty for a batch of shape {case.shape}"
        value = out[f"gp{i}"]
        if not isinstance(value, TensorValue):
            raise Fail(f"{what} should be a tensor, but your function returned {expect.kind_of(value)}: "
                       "return the tensor itself (no .item()), so a training step can backpropagate through it")
        gp = expect.tensor(value, what, dtype=str(case.dtype)[6:])
        if gp.dim() != 0:
            per_sample = gp.shape == (case.batch,) and case.batch > 1
            raise Fail(f"{what} has shape {tuple(gp.shape)}; expected a 0-dim tensor: the mean over the batch "
                       "of (||grad|| - 1)^2", "no-batch-mean" if per_sample else None)
        if not torch.isfinite(gp):
            raise Fail(f"{what} is {gp.item()}")


@suite.check(basic, points=1, public=True)
def leaves_inputs_unchanged(out, ref):
    """leaves real and fake unchanged"""
    for i, case in enumerate(BASIC):
        expect.tensor(out[f"gp{i}"], f"the penalty for a batch of shape {case.shape}")  # the call must have worked
        real, fake = make_inputs(case)
        expect.unchanged(real, out[f"real{i}"], "real")
        expect.unchanged(fake, out[f"fake{i}"], "fake")


@suite.check(linear, points=1)
def exact_for_a_linear_critic(out, ref):
    """a linear critic with ||w|| = 0.6 gives exactly (0.6 - 1)^2 = 0.16, whatever eps"""
    results = []
    for i, case in enumerate(LINEAR):
        res = out[f"case{i}"]
        w = judge_net(case).weight.detach()
        g = w.expand(case.batch, -1)
        eps = None
        if res.get("x_hat") is not None and res["x_hat"].data is not None:
            try:
                eps = recover_eps(x_hat_of(res, case), case)[0]
            except Fail:
                eps = None
        right, per_sample, wrong = known_penalties(g, case, eps)
        got = penalty_value(res["gp"], case, per_sample)
        results.append((case, got, right, wrong, f"(||w|| - 1)^2 = ({w.norm():.4g} - 1)^2 = "))
    judge_penalties(results)


@suite.check(mlp, points=1)
def interpolates_lie_on_the_segment(out, ref):
    """the critic is differentiated at x_hat = eps*real + (1-eps)*fake, one eps in [0, 1] per sample"""
    for i, case in enumerate(MLP):
        _, failure = segment_failure(x_hat_of(out[f"case{i}"], case), case)
        if failure:
            raise failure


@suite.check(mlp, points=2)
def penalty_at_the_interpolates(out, ref):
    """the penalty equals mean((||grad critic(x_hat)|| - 1)^2) at the x_hat your code used"""
    results = []
    for i, case in enumerate(MLP):
        res = out[f"case{i}"]
        x_hat = x_hat_of(res, case)
        eps, _, _, _ = recover_eps(x_hat, case)
        right, per_sample, wrong = known_penalties(gradients_at(judge_net(case), x_hat), case, eps)
        got = penalty_value(res["gp"], case, per_sample)
        results.append((case, got, right, wrong, ""))
    judge_penalties(results)


@suite.check(mlp, points=1)
def differentiable_wrt_the_critic(out, ref):
    """the penalty backpropagates into the critic's parameters (create_graph=True), with the right gradients"""
    for i, case in enumerate(MLP):
        res = out[f"case{i}"]
        grads = res.get("grads")
        if isinstance(grads, str):
            raise Fail(f"backpropagating your penalty into the critic failed: {grads}")
        if grads is None:
            raise Fail("your penalty does not depend on the critic's parameters through autograd "
                       "(penalty.requires_grad is False), so a training step cannot lower it",
                       "create-graph-missing")
        if not any(g is not None and g.data is not None and torch.any(g.data != 0) for g in grads):
            raise Fail("backpropagating your penalty gives every parameter of the critic a zero gradient: "
                       "the penalty is cut off from the critic", "create-graph-missing")
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
                raise Fail(f"for {case.describe()}, the gradient of your penalty with respect to the critic's "
                           f"parameter {name} is {expect.preview(g)}, expected {expect.preview(w)}")


def degenerate(eps: torch.Tensor) -> Fail | None:
    """A Fail naming the mistake when every sample of the batch has the same eps."""
    if eps.std() > 1e-6:
        return None
    if (eps - 0.5).abs().max() < 1e-6:
        return Fail("eps = 0.5 for every sample: x_hat is always the midpoint of real and fake", "eps-constant")
    return Fail(f"every sample of the batch uses the same eps ({eps[0]:.4f})", "eps-shared-batch")


def sample_eps(out: dict, call: str) -> torch.Tensor:
    eps, failure = segment_failure(x_hat_of(out[call], SAMPLE), SAMPLE)
    if failure:
        raise failure
    return eps


@suite.check(sample, points=1)
def eps_is_uniform(out, ref):
    """eps recovered from x_hat follows U(0, 1), one draw per sample"""
    eps = sample_eps(out, "call1")
    ok, distance, limit = stats.looks_uniform(eps)
    if ok:
        return
    raise degenerate(eps) or Fail(
        f"eps recovered from x_hat is not uniform on [0, 1]: mean {eps.mean():.3f} (expected 0.5), std "
        f"{eps.std():.3f} (expected 0.289); KS distance {distance:.3f} > {limit:.3f}", "eps-not-uniform")


@suite.check(sample, points=1)
def eps_fresh_on_every_call(out, ref):
    """eps is drawn independently for each sample and afresh on every call"""
    eps1, eps2 = sample_eps(out, "call1"), sample_eps(out, "call2")
    failure = degenerate(eps1) or degenerate(eps2)
    if failure:
        raise failure
    z1, z2 = (torch.special.ndtri(e.clamp(1e-12, 1 - 1e-12)) for e in (eps1, eps2))
    if torch.allclose(eps1, eps2, rtol=0, atol=1e-9):
        raise Fail("two calls with the same real and fake used exactly the same eps", "eps-reused")
    if not stats.looks_uncorrelated(z1, z2):
        raise Fail("the eps of two calls with the same real and fake are correlated", "eps-reused")
    if not stats.looks_uncorrelated(z1[0::2], z1[1::2]):
        raise Fail("the eps of neighbouring samples are correlated: draw one independent eps per sample")


@suite.check(device, points=1)
def result_on_inputs_device(out, ref):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(out, "the penalty")
