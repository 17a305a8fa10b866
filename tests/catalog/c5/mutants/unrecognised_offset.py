"""A wrong formula no known mistake describes: the feedback must say what it saw, and guess nothing."""
MISTAKE = None


def vae_kl_loss(mu, log_var):
    return 0.5 * (mu**2 + log_var.exp() - log_var).flatten(1).sum(1).mean() - 0.3
