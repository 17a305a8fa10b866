import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    with torch.no_grad():
        ends, _ = encode(torch.cat([x_a.unsqueeze(0), x_b.unsqueeze(0)]))
        t = torch.tensor([k / (steps - 1) for k in range(steps)], dtype=ends.dtype, device=ends.device)
        mix = torch.stack([1 - t, t], dim=1)  # (steps, 2)
        latents = (mix @ ends.flatten(1)).unflatten(1, ends.shape[1:])
        out = decode(latents)
    return out.reshape(steps, *x_a.shape)
