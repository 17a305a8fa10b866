"""Exercise c21: the log-likelihood of a normalizing flow."""

import torch


def flow_log_prob(flow, x: torch.Tensor) -> torch.Tensor:
    """log p(x) per sample, by the change of variables through `flow` to a N(0, I) base.

    flow(x) returns (z, log_det): z shaped like x, log_det = log |det dz/dx| of shape (B,).
    log p(x) = sum over the non-batch dims of log N(z; 0, 1) + log_det, with
    log N(z; 0, 1) = -z^2 / 2 - log(2 pi) / 2 for each value of z.

    Args:
        flow: maps a batch x of shape (B, ...) to (z, log_det).
        x: data of shape (B, D) or (B, C, H, W), float32 or float64.

    Returns:
        a tensor of shape (B,) (log p, not the negative log-likelihood), differentiable with
        respect to x and the flow's parameters.
    """
    raise NotImplementedError("c21: implement flow_log_prob")
