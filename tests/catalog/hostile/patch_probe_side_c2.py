"""Exercise c2: rewrites the probe side at import. A wrong x_t (alpha_bar without its square roots) that
scales x0 in place, with noise made on the CPU; at import it replaces the probes' `run_on_device` with one
that runs without the device spy, and their `twice` with one that puts x0 back as it was, so the bytes
sent after the calls look untouched. None of it earns a point: a second call on the same tensors returns
another x_t, and the gradient and the device are judged only for a right x_t. What still rests on the
student's process is listed in the README."""
import torch

TARGET = "c2"
MUST_LOSE_MARKS = True
PASSES_ONLY = {"returns_pair_shaped_like_x0", "fresh_noise_is_standard_normal", "fresh_noise_is_independent"}  # no more
# __FORGE__
forge_probe_side("fresh_shape", restoring=("twice",))


def add_noise(x0, t, noise_schedule, noise=None):
    if noise is None:
        noise = torch.randn(tuple(x0.shape), dtype=x0.dtype)
    a = torch.cumprod(1 - noise_schedule, 0)[t].reshape(-1, *([1] * (x0.dim() - 1)))
    if x0.requires_grad:
        return a * x0 + (1 - a) * noise, noise
    touched.append((x0, x0.clone()))
    return x0.mul_(a).add_((1 - a) * noise), noise
