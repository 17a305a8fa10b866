import torch
from torch import nn


class MaskedConv2d(nn.Conv2d):
    """The classic PixelCNN layer: a mask buffer shaped like the weight, filled with ones and
    zeroed right of the centre (from the centre for type A) and below the centre row."""

    def __init__(self, mask_type, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if mask_type not in {"A", "B"}:
            raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
        self.register_buffer("mask", self.weight.data.clone())
        _, _, kH, kW = self.weight.size()
        self.mask.fill_(1)
        self.mask[:, :, kH // 2, kW // 2 + (mask_type == "B"):] = 0
        self.mask[:, :, kH // 2 + 1:] = 0

    def forward(self, x):
        self.weight.data *= self.mask
        return super().forward(x)


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    layer = MaskedConv2d(mask_type, 1, 1, kernel_size, 1, kernel_size // 2, bias=False)
    return layer.mask[0, 0].clone()
