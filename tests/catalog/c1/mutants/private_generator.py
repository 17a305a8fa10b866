MISTAKE = "private-generator"  # a module-level generator with a constant seed: torch.manual_seed has no effect
import torch

_generator = torch.Generator().manual_seed(1234)


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    eps = torch.randn(mu.shape, generator=_generator, dtype=mu.dtype).to(mu.device)
    return mu + torch.exp(0.5 * log_var) * eps
