MISTAKE = "vague-error"
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0 or mask_type not in ("A", "B"):
        raise ValueError("invalid arguments")
    c = kernel_size // 2
    mask = torch.ones(kernel_size, kernel_size)
    mask[c, c + (mask_type == "B"):] = 0
    mask[c + 1:] = 0
    return mask
