import torch


def pixelcnn_mask(kernel_size, mask_type):
    """Pixel (i, j) is seen when it comes before the centre in raster order (or is it, for B)."""
    if kernel_size % 2 != 1:
        raise ValueError(f"kernel_size must be an odd integer, got {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"unknown mask type {mask_type!r}: use 'A' or 'B'")
    rows = torch.arange(kernel_size).view(-1, 1)
    cols = torch.arange(kernel_size).view(1, -1)
    position = rows * kernel_size + cols
    centre = (kernel_size // 2) * kernel_size + kernel_size // 2
    seen = position <= centre if mask_type == "B" else position < centre
    return seen.float()
