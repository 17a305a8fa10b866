"""Exercise c4: rewrites the probe side at import. A wrong path (run from x_b to x_a) that scales x_a in
place once it is encoded, with the weights t made on the CPU; at import it replaces the probes'
`run_on_device` with one that runs without the device spy, and their `twice` with one that puts x_a back
as it was, so the bytes sent after the calls look untouched. None of it earns a point: a second call on
the same models and tensors returns other rows, and the device is judged only for right rows. What still
rests on the student's process is listed in the README."""
import torch

TARGET = "c4"
MUST_LOSE_MARKS = True
PASSES_ONLY = {"returns_steps_examples", "same_inputs_same_path"}  # what the honest wrong path earns, no more
# __FORGE__
forge_probe_side("spatial_cases", restoring=("twice",))


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_b, x_a]))
    touched.append((x_a, x_a.clone()))
    x_a.mul_(1.5)
    t = torch.linspace(0, 1, steps, dtype=mu.dtype).view(-1, *[1] * (mu.dim() - 1))
    return decode(mu[0] + t * (mu[1] - mu[0]))
