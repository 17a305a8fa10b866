"""Exercise c20: RealNVP's affine coupling layer, both directions."""

import torch


def affine_coupling(x: torch.Tensor, mask: torch.Tensor, net, reverse: bool = False):
    """An affine coupling layer and its log-determinant.

    Forward (reverse=False), with s, t = net(x * mask), each of shape (B, D):
        y       = x * mask + (1 - mask) * (x * exp(s) + t)
        log_det = sum over D of (1 - mask) * s                  (log |det dy/dx|)
    Reverse (reverse=True): the input is y, and s, t = net(y * mask) (y * mask == x * mask):
        x       = y * mask + (1 - mask) * (y - t) * exp(-s)
        log_det = -sum over D of (1 - mask) * s                 (log |det dx/dy|)

    Args:
        x: a batch of shape (B, D) (the layer's input; y when reverse=True), float32 or float64.
        mask: (D,) of 0s and 1s, a float tensor of x's dtype: 1 marks the values passed through.
        net: maps a (B, D) batch to the pair (s, t).
        reverse: run the layer backwards.

    Returns:
        (output, log_det): output of shape (B, D), log_det of shape (B,), both differentiable
        with respect to x and the net's parameters.
    """
    raise NotImplementedError("c20: implement affine_coupling")
