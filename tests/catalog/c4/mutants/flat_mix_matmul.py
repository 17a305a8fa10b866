MISTAKE = "flat-latents-only"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    ends, _ = encode(torch.stack([x_a, x_b]))
    t = torch.tensor([k / (steps - 1) for k in range(steps)], dtype=ends.dtype, device=ends.device)
    mix = torch.stack([1 - t, t], dim=1)  # (steps, 2): one row of weights per point
    return decode(mix @ ends)
