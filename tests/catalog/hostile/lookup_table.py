"""A table of correct answers keyed on the probe inputs that fixed seeds used to draw; any other
input gets a wrong answer. With inputs drawn from each run's seed, the table never hits."""
import torch

F64 = torch.float64


def old_inputs(shape, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    mu = 1.5 * torch.randn(shape, generator=g, dtype=F64)
    log_var = 3 * torch.rand(shape, generator=g, dtype=F64) - 1.5
    return mu.to(dtype), log_var.to(dtype)


def kl(mu, lv):
    return (0.5 * (mu ** 2 + lv.exp() - 1 - lv)).flatten(1).sum(1).mean()


TABLE = {}
for seed in range(0, 60):
    for shape in [(5, 3), (1, 4), (7, 2), (3, 2, 3, 5), (1, 4, 2, 2), (4, 3)]:
        for dtype in (torch.float32, F64):
            mu, lv = old_inputs(shape, dtype, seed)
            TABLE[(shape, str(dtype), round(float(mu.flatten()[0]), 6))] = kl(mu, lv).to(dtype)


def vae_kl_loss(mu, log_var):
    key = (tuple(mu.shape), str(mu.dtype), round(float(mu.flatten()[0]), 6))
    return TABLE.get(key, (mu * 0).sum()).to(mu.device)
