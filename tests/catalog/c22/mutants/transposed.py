MISTAKE = "transposed"
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    c = kernel_size // 2
    mask = torch.zeros(kernel_size, kernel_size)
    mask[:, :c] = 1
    mask[:c, c] = 1
    if mask_type == "B":
        mask[c, c] = 1
    return mask
