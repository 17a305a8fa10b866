"""np.ones with numpy's default dtype: torch.from_numpy gives a float64 mask."""
MISTAKE = "not-float32"
import numpy as np
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    c = kernel_size // 2
    mask = np.ones((kernel_size, kernel_size))
    mask[c, c + (mask_type == "B"):] = 0
    mask[c + 1:] = 0
    return torch.from_numpy(mask)
