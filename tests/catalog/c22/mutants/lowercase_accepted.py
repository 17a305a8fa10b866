"""mask_type.upper(): also accepts 'a' and 'b' (the contract: any type other than 'A' and 'B' raises)."""
MISTAKE = "type-not-checked"
import torch


def pixelcnn_mask(kernel_size, mask_type):
    mask_type = mask_type.upper()
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    mask = torch.ones(kernel_size, kernel_size)
    mask[kernel_size // 2, kernel_size // 2 + (mask_type == "B"):] = 0
    mask[kernel_size // 2 + 1:] = 0
    return mask
