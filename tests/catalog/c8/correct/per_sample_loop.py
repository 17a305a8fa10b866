"""A Python loop over the batch: nn.BCEWithLogitsLoss(reduction='sum') and the KL per sample, stacked and averaged."""
import torch
from torch import nn


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    bce = nn.BCEWithLogitsLoss(reduction="sum")
    losses = []
    for i in range(x.shape[0]):
        kl = 0.5 * (mu[i].pow(2) + log_var[i].exp() - 1.0 - log_var[i]).sum()
        losses.append(bce(x_logits[i], x[i]) + beta * kl)
    return torch.stack(losses).mean()
