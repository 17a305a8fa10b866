"""Exercise c5: rewrites the probe side at import. A wrong KL (no 1/2) that squares mu in place; at
import it replaces the probes' `run_on_device` with one that runs without the device spy and reports
nothing, and their `run_cases` with one that sends the inputs rebuilt from the seed instead of as the
call left them. None of it earns a point: the values are judged against the grader's own inputs, an
in-place change shows in a second call on the same tensors, and the device is judged only for a right
value. What still rests on the student's process is listed in the README."""
import sys

import torch

TARGET = "c5"
MUST_LOSE_MARKS = True
PASSES_ONLY = {"returns_a_scalar_tensor"}  # what the honest wrong formula earns, and nothing more

for name, probes in list(sys.modules.items()):
    if name.startswith("gengrade_probes") and hasattr(probes, "run_cases"):
        from grader.sandbox.device_spy import OnDevice

        def run_on_device(call):
            return {"result": call(lambda t: t.as_subclass(OnDevice)), "violations": [], "internal": []}

        def run_cases(fn, cases, seed, honest=probes.run_cases, probes=probes):
            out = honest(fn, cases, seed)
            for i, (shape, dtype) in enumerate(cases):
                out[f"inputs{i}"] = probes.inputs(shape, dtype, seed + i)
            return out

        probes.run_on_device, probes.run_cases = run_on_device, run_cases


def vae_kl_loss(mu, log_var):
    mu = mu.pow_(2) if not mu.requires_grad else mu ** 2
    return (mu + log_var.exp() - 1 - log_var).flatten(1).sum(1).mean()
