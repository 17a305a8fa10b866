MISTAKE = "type-ignored"
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0 or mask_type not in ("A", "B"):
        raise ValueError(f"kernel_size must be odd and mask_type 'A' or 'B', got {kernel_size}, {mask_type!r}")
    c = kernel_size // 2
    mask = torch.ones(kernel_size, kernel_size)
    mask[c, c + 1:] = 0
    mask[c + 1:] = 0
    return mask
