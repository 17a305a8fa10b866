"""Reference solution of exercise c22."""

import torch


def pixelcnn_mask(kernel_size, mask_type):
    """1 above the centre row and left of the centre on it; the centre itself only for type B."""
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be an odd number >= 1, got {kernel_size}")
    c = kernel_size // 2
    mask = torch.zeros(kernel_size, kernel_size, dtype=torch.float32)
    mask[:c] = 1
    mask[c, :c + (mask_type == "B")] = 1
    return mask
