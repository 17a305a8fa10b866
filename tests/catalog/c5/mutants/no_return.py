MISTAKE = "no-return"


def vae_kl_loss(mu, log_var):
    kl = 0.5 * (mu**2 + log_var.exp() - 1 - log_var).flatten(1).sum(1).mean()  # computed, never returned
