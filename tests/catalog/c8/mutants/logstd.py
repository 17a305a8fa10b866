MISTAKE = "logvar-as-logstd"
import torch
import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    rec = F.binary_cross_entropy_with_logits(x_logits, x, reduction="none").flatten(1).sum(1)
    std = torch.exp(log_var)
    kl = 0.5 * (mu ** 2 + std ** 2 - 1 - 2 * torch.log(std)).flatten(1).sum(1)
    return (rec + beta * kl).mean()
