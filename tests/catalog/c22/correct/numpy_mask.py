import numpy as np
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if mask_type not in ["A", "B"]:
        raise ValueError("mask_type should be either 'A' or 'B'")
    if kernel_size % 2 == 0:
        raise ValueError("kernel_size should be odd")
    mask = np.ones((kernel_size, kernel_size), dtype=np.float32)
    centre = kernel_size // 2
    mask[centre, centre + 1:] = 0.0
    mask[centre + 1:, :] = 0.0
    if mask_type == "A":
        mask[centre, centre] = 0.0
    return torch.from_numpy(mask)
