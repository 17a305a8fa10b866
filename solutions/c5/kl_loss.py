"""Reference solution of exercise c5."""


def vae_kl_loss(mu, log_var):
    """0.5 * sum over non-batch dims of (mu^2 + e^log_var - 1 - log_var), mean over the batch."""
    per_element = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var)
    return per_element.flatten(1).sum(dim=1).mean() if mu.dim() > 1 else per_element.mean()
