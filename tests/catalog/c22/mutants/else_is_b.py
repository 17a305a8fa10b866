"""if mask_type == 'A': ... else: treats every other string as type B."""
MISTAKE = "type-not-checked"
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    mask = torch.ones(kernel_size, kernel_size)
    c = kernel_size // 2
    if mask_type == "A":
        mask[c, c:] = 0
    else:
        mask[c, c + 1:] = 0
    mask[c + 1:] = 0
    return mask
