import torch


@torch.no_grad()
def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, log_var = encode(torch.stack([x_a, x_b]))
    start, end = mu[0], mu[1]
    frames = []
    for t in torch.linspace(0, 1, steps, dtype=mu.dtype, device=mu.device):
        frames.append(decode((start + t * (end - start)).unsqueeze(0))[0])
    return torch.stack(frames)
