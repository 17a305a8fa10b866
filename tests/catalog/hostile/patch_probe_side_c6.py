"""Exercise c6: rewrites the probe side at import. A wrong D (p_g / (p_data + p_g)) that multiplies by
ones made on the CPU; at import it replaces the probes' `run_on_device` with one that runs without the
device spy and reports nothing. It earns no point for it: the device is judged only for right values.
What still rests on the student's process is listed in the README."""
import torch

TARGET = "c6"
MUST_LOSE_MARKS = True
PASSES_ONLY = {"returns_a_function", "d_of_batch_has_batch_shape_and_dtype"}  # the honest wrong D's, no more

# __FORGE__
forge_probe_side("device_points")


def optimal_discriminator(p_data, p_g):
    def D(x):
        p, q = p_data(x), p_g(x)
        return q / (p + q) * torch.ones(p.shape[0], dtype=p.dtype)
    return D
