"""Hidden checks of exercise c10, wgan_gp_critic_step(critic, optimizer, real, fake, lambda_gp=10.0).

Checked by its effect. The critic the probes hand over records every batch it sees; the batch
that is neither real nor fake holds the interpolates x_hat, from which each sample's eps is
recovered (grader.check.interpolates). At that x_hat the grader recomputes, with the critic
rebuilt from the seed in float64, the loss before the step, mean critic(fake) - mean critic(real)
+ lambda_gp * mean((||grad critic(x_hat)|| - 1)^2), its gradient with respect to the critic's
parameters, and the parameters one SGD step (the probe's optimizer, lr known) must leave. The
returned float is compared with that loss, the parameters after the call with that update
(stale gradients were put in .grad before the call, so a missing zero_grad shows); when wrong,
with known wrong losses and updates at the same x_hat, and a mistake is named only when its
formula explains every wrong case. The optimizer counts its steps; the generator that made fake
must get no gradient. The device check counts only once the loss on the device is right (a
forged device record would have to come with a right loss). Shapes are drawn from the run's
seed, batches >= 2, lambda_gp = 3.7 in two cases (an ignored lambda is invisible at 10). eps's
law and freshness are tested on a 2000-sample batch with grader.check.interpolates's battery
(7 tests, each failing a correct solution with probability <= 1e-8, below 1e-7 together), and
following torch.manual_seed by equality alone.
"""

from __future__ import annotations

import pytest
import torch

from grader.check import expect, interpolates
from grader.check.expect import Mistake, mistake
from grader.check.wire import TensorValue

from .probes import F32, F64, LR, Case, cases, device_case, make_fake, make_generator, make_net, make_real, sample_case, stale_grads

TOL = {F64: {"rtol": 1e-6, "atol": 1e-9}, F32: {"rtol": 1e-4, "atol": 1e-5}}
SEGMENT_TOL = {F64: 1e-7, F32: 1e-4}


def rebuilt(case: Case):
    """The critic's network with the student's starting weights, real, fake and the stale grads, in float64."""
    net = make_net(case).to(F64)
    fake = make_fake(*make_generator(case), case).detach()
    return net, make_real(case).to(F64), fake.to(F64), [s.to(F64) for s in stale_grads(case, net.parameters())]


def loss_of(entry: dict) -> torch.Tensor:
    return expect.judgeable(expect.returned(entry), "one number (a Python float)", shape=())


def blocks(seen: dict, batch: int) -> list | str:
    """Every row the critic saw, in call order, cut into batches of `batch` rows (float64), or why not."""
    rows = seen["rows"]
    if not (isinstance(rows, TensorValue) and rows.data is not None) or rows.shape[0] % batch \
            or len(seen["shapes"]) < seen["calls"]:
        shapes = seen["shapes"][:4] + (["..."] if len(seen["shapes"]) > 4 else [])
        return f"your critic was called {seen['calls']} time(s), on batches of shapes {shapes}"
    return list(rows.data.to(F64).split(batch))


def x_hat_of(seen: dict, case: Case, owner: bool = False) -> torch.Tensor:
    """The interpolates: the one batch the critic saw that is neither real nor fake."""
    _, real, fake, _ = rebuilt(case)
    cut = blocks(seen, case.shape[0])
    if isinstance(cut, str):
        message = f"for {case.describe()}, {cut}: call it on batches of the {case.shape[0]} samples"
    else:
        others = [b for b in cut if b.shape[1] == real[0].numel() and not (torch.equal(b, real.flatten(1))
                                                                          or torch.equal(b, fake.flatten(1)))]
        if others and all(torch.equal(b, others[0]) for b in others):
            return others[0]
        message = (f"for {case.describe()}, your critic saw {len(others)} batches that are neither real nor fake "
                   "(expected one: the interpolates x_hat)")
        if not others:
            message = (f"for {case.describe()}, your critic was never called on interpolates between real and fake, "
                       "only on real and fake themselves")
    if owner:
        mistake(None, message)
    expect.not_judged("the interpolates your critic saw cannot be read (see the check of the interpolates)")


def norms_at(net, x_hat: torch.Tensor) -> torch.Tensor:
    """Per-sample gradient norms of the critic at x_hat, differentiable w.r.t. its parameters."""
    x = x_hat.clone().requires_grad_(True)
    (g,) = torch.autograd.grad(net(x).sum(), x, create_graph=True)
    return g.norm(dim=1)


def losses(case: Case, x_hat: torch.Tensor) -> tuple[torch.nn.Module, dict]:
    """The right loss ("right") and the known wrong ones at x_hat, each differentiable in the net's parameters."""
    net, real, fake, _ = rebuilt(case)
    w, n, lam = net(fake.flatten(1)).mean() - net(real.flatten(1)).mean(), norms_at(net, x_hat), case.lam
    gp = ((n - 1) ** 2).mean()
    return net, {"right": w + lam * gp, "sign-flipped": -w + lam * gp, "lambda-ignored": w + 10 * gp,
                 "one-sided": w + lam * ((n - 1).clamp(min=0) ** 2).mean(),
                 "squared-norm": w + lam * ((n ** 2 - 1) ** 2).mean(), "no-create-graph": w + lam * gp.detach()}


def endpoint_losses(case: Case) -> dict:
    """The loss with the penalty taken at real or at fake instead of the interpolates."""
    net, real, fake, _ = rebuilt(case)
    w = net(fake.flatten(1)).mean() - net(real.flatten(1)).mean()
    at = tuple((w + case.lam * ((norms_at(net, x.flatten(1)) - 1) ** 2).mean()).detach() for x in (real, fake))
    return {"critic-not-at-interpolates": at}


# --- the public checks ----------------------------------------------------------------------

@pytest.mark.public
@pytest.mark.points(1)
def test_returns_the_loss_as_a_float(basic, seed):
    """returns the loss as a finite Python float (float32 and float64, (B, D) and image batches)"""
    error = basic["case0"].get("error") or {}
    if "One of the differentiated Tensors does not require grad" in str(error.get("message")):
        where = "".join(f" (line {f['line']}: {f['code']})" for f in (error.get("frames") or [])[-1:])
        mistake("interpolates-without-grad", f"your function raised RuntimeError: {error['message']}{where}. Once fake "
                "is detached, as the step asks, x_hat = eps * real + (1 - eps) * fake does not require grad unless you "
                "make it: (eps * real + (1 - eps) * fake).requires_grad_(True)")
    for i, case in enumerate(cases(seed)):
        value, what = expect.returned(basic[f"case{i}"]), f"the loss for {case.describe()}"
        if isinstance(value, TensorValue):
            mistake("returned-tensor", f"{what} is {expect.kind_of(value, values=False)}: return loss.item(), a "
                    "Python float (a tensor keeps the whole graph alive in the caller's log)")
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            mistake(None, f"{what} should be a Python float, but your function returned {expect.kind_of(value)}")
        if value != value or value in (float("inf"), float("-inf")):
            mistake(None, f"{what} is {value}")


@pytest.mark.public
@pytest.mark.points(1)
def test_inputs_unchanged_and_fake_kept_constant(basic, seed):
    """leaves real and fake unchanged, and no gradient reaches the generator that made fake"""
    for i, case in enumerate(cases(seed)):
        entry = basic[f"case{i}"]
        loss_of(entry)  # no points for code that returns nothing
        _, real, fake, _ = rebuilt(case)
        expect.unchanged(real.to(case.dtype), entry["real"], "real")
        expect.unchanged(fake.to(case.dtype), entry["fake"], "fake")
        grad = entry["generator_grad"]
        if grad is not None and not (isinstance(grad, TensorValue) and grad.data is not None and not grad.data.any()):
            mistake("fake-not-detached", f"for {case.describe()}, backpropagating your loss gave the generator that "
                    "made fake a gradient: use fake.detach() in the critic's step, so only the critic is trained")


# --- the interpolates and the loss -----------------------------------------------------------

@pytest.mark.points(1)
def test_interpolates_lie_on_the_segment(basic, seed):
    """the penalty is taken at x_hat = eps*real + (1-eps)*fake, one eps in [0, 1] per sample"""
    for i, case in enumerate(cases(seed)):
        entry = basic[f"case{i}"]
        loss_of(entry)
        try:
            x_hat = x_hat_of(entry["seen"], case, owner=True)
        except Mistake as failure:
            named = expect.explained_by([(loss_of(basic[f"case{k}"]), endpoint_losses(c)) for k, c in
                                         enumerate(cases(seed))], **TOL[F32])
            raise Mistake(named, str(failure)) from None
        _, real, fake, _ = rebuilt(case)
        eps, residual, rel, d = interpolates.recover_eps(x_hat, real, fake)
        tol = SEGMENT_TOL[case.dtype]
        if (residual > tol).any():
            mistake(None, f"for {case.describe()}, x_hat is not on the line through real and fake: expected "
                    "x_hat = eps * real + (1 - eps) * fake with one eps per sample")
        failure = interpolates.endpoint(eps, tol)
        if failure:
            raise failure
        if eps.min() < -tol or eps.max() > 1 + tol:
            mistake("eps-not-uniform", f"x_hat is on the line through real and fake but outside the segment: eps "
                    f"ranges from {eps.min():.3f} to {eps.max():.3f}; eps must be uniform on [0, 1] (torch.rand)")


def wrong_values(basic, seed, value_of) -> list:
    """(student's value, known wrong values, message) for each case where value_of(entry, case, known) is wrong."""
    wrong = []
    for i, case in enumerate(cases(seed)):
        entry = basic[f"case{i}"]
        net, known = losses(case, x_hat_of(entry["seen"], case))
        got, want, candidates = value_of(entry, case, net, known)
        if not expect.close(got, want, **TOL[case.dtype]):
            wrong.append((got, candidates, f"for {case.describe()}: {expect.differ(got.reshape(-1), want.reshape(-1))}"))
    return wrong


def judge(wrong: list, what: str) -> None:
    if wrong:
        got, _, message = wrong[0]
        mistake(expect.explained_by([(g, c) for g, c, _ in wrong], rtol=1e-4, atol=1e-5), f"{what} {message}")


@pytest.mark.points(2)
def test_loss_before_the_step(basic, seed):
    """the returned loss is mean critic(fake) - mean critic(real) + lambda_gp * penalty at your x_hat, before the step"""
    def value_of(entry, case, net, known):
        return loss_of(entry), known["right"].detach(), {k: v.detach() for k, v in known.items() if k != "right"}
    judge(wrong_values(basic, seed, value_of), "your loss is not the WGAN-GP critic loss before the step,")


def updated(net, loss, extra=None) -> torch.Tensor:
    """The parameters (flattened, concatenated) after one SGD step on `loss` (+ `extra` stale grads)."""
    grads = torch.autograd.grad(loss, list(net.parameters()), retain_graph=True)
    extra = extra or [0] * len(grads)
    return torch.cat([(p - LR * (g + s)).detach().flatten() for p, g, s in zip(net.parameters(), grads, extra)])


@pytest.mark.points(1)
def test_exactly_one_optimizer_step(basic, seed):
    """the optimizer's step() is called exactly once"""
    for i, case in enumerate(cases(seed)):
        entry = basic[f"case{i}"]
        loss_of(entry)
        steps = entry["events"].count("step")
        if steps == 0:
            mistake("no-step", f"for {case.describe()}, your function never called optimizer.step(): the critic was "
                    "not updated")
        if steps > 1:
            mistake("two-steps", f"for {case.describe()}, your function called optimizer.step() {steps} times: one "
                    "critic update is one step")


@pytest.mark.points(2)
def test_parameters_after_one_sgd_step(basic, seed):
    """the critic's parameters move by -lr * the gradient of that loss (zero_grad first, create_graph=True)"""
    def value_of(entry, case, net, known):
        if entry["events"].count("step") != 1:
            expect.not_judged("the update is judged once the optimizer steps exactly once (see that check)")
        params = entry["params"]
        if not all(isinstance(p, TensorValue) and p.data is not None for p in params):
            expect.not_judged("the critic's parameters cannot be read after your call")
        got = torch.cat([p.data.to(F64).flatten() for p in params])
        candidates = {k: updated(net, v) for k, v in known.items() if k != "right"}
        candidates["no-zero-grad"] = updated(net, known["right"], rebuilt(case)[3])
        return got, updated(net, known["right"]), candidates
    loss_of(basic["case0"])
    judge(wrong_values(basic, seed, value_of), "after your step the critic's parameters are not those of one SGD step "
          "on the WGAN-GP loss,")


# --- eps as a distribution -------------------------------------------------------------------

def sample_eps(entry: dict, case: Case) -> torch.Tensor:
    loss_of(entry)  # no points for code that does not return
    x_hat = x_hat_of(entry["seen"], case)
    _, real, fake, _ = rebuilt(case)
    return interpolates.recover_eps(x_hat, real, fake)[0]


@pytest.mark.points(1)
def test_eps_uniform_fresh_and_seeded(sample, seed):
    """eps is U(0, 1), drawn independently for every sample and afresh on every call, following torch.manual_seed"""
    case = sample_case(seed)
    eps1, eps2 = sample_eps(sample["call1"], case), sample_eps(sample["call2"], case)
    interpolates.judge_uniform(eps1)
    interpolates.judge_fresh(eps1, eps2)
    runs = [expect.returned(sample["seeds"][k]) for k in ("first", "again", "other")]
    interpolates.judge_global_seed(*(sample_eps(run, case) for run in runs))


@pytest.mark.points(1)
def test_works_on_the_inputs_device(device, seed):
    """works on the inputs' device (no tensors hard-coded to the CPU)"""
    expect.device_verdict(device, "the critic step", returns_tensors=False)
    case = device_case(seed)
    _, known = losses(case, x_hat_of(device["seen"], case))
    if not expect.close(loss_of(device), known["right"].detach(), **TOL[case.dtype]):
        expect.not_judged("the device is judged once your loss is right (see the check of the loss)")
