import torch.nn.functional as F


def negative_elbo(x, x_logits, mu, log_var, beta=1.0):
    """log sigmoid(l) and log(1 - sigmoid(l)) = logsigmoid(-l): exact for any logit."""
    log_px = x * F.logsigmoid(x_logits) + (1 - x) * F.logsigmoid(-x_logits)
    neg_log_px = -log_px.reshape(x.shape[0], -1).sum(dim=1)
    kl = -0.5 * (1 + log_var - mu * mu - log_var.exp()).reshape(mu.shape[0], -1).sum(dim=1)
    return (neg_log_px + beta * kl).mean()
