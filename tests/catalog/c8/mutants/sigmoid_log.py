MISTAKE = "sigmoid-then-log"
import torch


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    x_hat = torch.sigmoid(x_logits)
    log_px = x * torch.log(x_hat + 1e-8) + (1 - x) * torch.log(1 - x_hat + 1e-8)
    rec = -log_px.flatten(1).sum(1)
    kl = 0.5 * (mu.pow(2) + log_var.exp() - 1 - log_var).flatten(1).sum(1)
    return (rec + beta * kl).mean()
