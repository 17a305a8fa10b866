MISTAKE = "not-float32"
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    order = torch.arange(kernel_size * kernel_size).view(kernel_size, kernel_size)
    centre = (kernel_size * kernel_size) // 2
    return order <= centre if mask_type == "B" else order < centre
