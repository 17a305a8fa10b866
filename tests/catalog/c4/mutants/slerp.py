MISTAKE = "slerp"
import torch


def interpolate(encode, decode, x_a, x_b, steps=10):
    mu, _ = encode(torch.stack([x_a, x_b]))
    low, high = mu[0].flatten(), mu[1].flatten()
    omega = torch.acos(torch.clamp(torch.dot(low / low.norm(), high / high.norm()), -1, 1))
    so = torch.sin(omega)
    t = torch.linspace(0, 1, steps, dtype=mu.dtype, device=mu.device).unsqueeze(1)
    z = torch.sin((1.0 - t) * omega) / so * low + torch.sin(t * omega) / so * high
    return decode(z.view(steps, *mu.shape[1:]))
