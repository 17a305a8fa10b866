import torch
from torch.distributions import Normal


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    # Song et al. eq. 12 collected as one affine map a * x_t + b * eps, the draw as Normal(mean, sigma).rsample()
    ab = torch.exp(torch.cumsum(torch.log(1 - noise_schedule), 0))
    ab_t = ab[t]
    ab_prev = ab[t_prev] if t_prev > -1 else ab_t.new_tensor(1.0)
    var = eta ** 2 * (1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev)
    a = torch.sqrt(ab_prev / ab_t)
    b = torch.sqrt(torch.relu(1 - ab_prev - var)) - torch.sqrt(ab_prev * (1 - ab_t) / ab_t)
    t_batch = torch.empty(x_t.shape[0], dtype=torch.int64, device=x_t.device).fill_(t)
    mean = a * x_t + b * eps_model(x_t, t_batch)
    if eta <= 0:
        return mean
    sigma = var.sqrt()
    if noise is None:
        return Normal(mean, sigma.expand_as(mean)).rsample()
    return mean + sigma * noise
