import torch


def pixelcnn_mask(kernel_size, mask_type):
    """The first half of the flattened kernel (up to the centre) is the past."""
    if kernel_size % 2 == 0:
        raise ValueError(f"expected an odd kernel_size, got {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"expected mask_type 'A' or 'B', got {mask_type!r}")
    flat = torch.zeros(kernel_size * kernel_size)
    flat[: kernel_size * kernel_size // 2 + (mask_type == "B")] = 1
    return flat.view(kernel_size, kernel_size)
