"""The causal (strictly lower) triangle of the k*k x k*k raster-order matrix: the centre's row of it is the mask."""
import torch


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel_size must be odd, got {kernel_size}")
    if mask_type not in ("A", "B"):
        raise ValueError(f"mask_type must be 'A' or 'B', got {mask_type!r}")
    n = kernel_size * kernel_size
    causal = torch.tril(torch.ones(n, n), diagonal=0 if mask_type == "B" else -1)
    return causal[n // 2].reshape(kernel_size, kernel_size)
