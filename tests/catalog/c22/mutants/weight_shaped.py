"""The layer's weight-shaped buffer (1, 1, k, k) returned as it is, not its (k, k) slice."""
MISTAKE = None
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    mask = torch.ones(1, 1, kernel_size, kernel_size)
    mask[:, :, kernel_size // 2, kernel_size // 2 + (mask_type == "B"):] = 0
    mask[:, :, kernel_size // 2 + 1:] = 0
    return mask
