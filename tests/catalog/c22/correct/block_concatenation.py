"""The mask assembled from blocks: ones above, the centre row (ones, centre, zeros), zeros below."""
import torch


def pixelcnn_mask(kernel_size, mask_type):
    centre = {"A": 0.0, "B": 1.0}.get(mask_type)
    if centre is None:
        raise ValueError(f"unknown mask_type {mask_type!r}: expected 'A' or 'B'")
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise ValueError(f"kernel_size {kernel_size} must be an odd positive integer")
    c = kernel_size // 2
    row = torch.cat([torch.ones(c), torch.tensor([centre]), torch.zeros(c)])
    return torch.cat([torch.ones(c, kernel_size), row.unsqueeze(0), torch.zeros(c, kernel_size)], dim=0)
