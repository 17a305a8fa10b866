"""A weight-shaped buffer built from zeros, opening the past (rows above, left of centre, centre for B), as avitai/artifex-style MaskedConv2D layers do; the (k, k) slice returned."""
import torch
from torch import nn


class MaskedConv2D(nn.Conv2d):
    def __init__(self, mask_type, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if mask_type not in ("A", "B"):
            raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
        self.register_buffer("mask", torch.zeros_like(self.weight.data))
        yc, xc = self.weight.size(-2) // 2, self.weight.size(-1) // 2
        self.mask[..., :yc, :] = 1.0
        self.mask[..., yc, :xc] = 1.0
        if mask_type == "B":
            self.mask[..., yc, xc] = 1.0


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 != 1:
        raise ValueError(f"kernel_size must be odd (it needs a centre pixel), got {kernel_size}")
    return MaskedConv2D(mask_type, 1, 1, kernel_size, bias=False).mask[0, 0].clone()
