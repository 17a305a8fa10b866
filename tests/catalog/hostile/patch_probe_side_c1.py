"""Exercise c1: rewrites the probe side at import. A wrong z (std = exp(log_var)) that adds its noise to
mu in place, with the noise made on the CPU; at import it replaces the probes' `run_on_device` with one
that runs without the device spy, and their `capture` with one that puts mu back as it was, so the bytes
sent after the calls look untouched. None of it earns a point: after the same torch.manual_seed a second
call on the same tensors returns another z, and the gradients and the device are judged only once the
noise is right. What still rests on the student's process is listed in the README."""
import torch

TARGET = "c1"
MUST_LOSE_MARKS = True
# what the honest wrong formula earns, and nothing more
PASSES_ONLY = {"returns_tensor_like_mu", "eps_independent_across_batch_and_dims", "eps_fresh_on_every_call", "evaluation_returns_mu"}
# __FORGE__
forge_probe_side("shape_cases", restoring=("capture",))


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    noise = torch.exp(log_var) * torch.randn(tuple(mu.shape), dtype=mu.dtype)
    if mu.requires_grad:
        return mu + noise
    touched.append((mu, mu.clone()))
    return mu.add_(noise)
