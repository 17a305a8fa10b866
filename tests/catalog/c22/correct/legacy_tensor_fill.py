"""Pre-0.4 style: torch.Tensor(k, k).fill_(1), then zero the future (right of the centre, rows below)."""
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if mask_type != "A" and mask_type != "B":
        raise ValueError("mask_type must be 'A' or 'B' (got %r)" % (mask_type,))
    if kernel_size % 2 == 0:
        raise ValueError("kernel_size must be odd (got %d)" % kernel_size)
    mask = torch.Tensor(kernel_size, kernel_size).fill_(1)
    h = w = kernel_size // 2
    if mask_type == "A":
        mask[h, w:] = 0
    else:
        mask[h, w + 1:] = 0
    mask[h + 1:, :] = 0
    return mask
