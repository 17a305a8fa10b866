MISTAKE = "assert-not-value-error"
import torch


def pixelcnn_mask(kernel_size, mask_type):
    """The classic MaskedConv2d buffer, with its asserts."""
    assert mask_type in {"A", "B"}, f"mask_type must be 'A' or 'B', got {mask_type}"
    assert kernel_size % 2 == 1, f"kernel_size must be odd, got {kernel_size}"
    mask = torch.ones(1, 1, kernel_size, kernel_size)
    mask[:, :, kernel_size // 2, kernel_size // 2 + (mask_type == "B"):] = 0
    mask[:, :, kernel_size // 2 + 1:] = 0
    return mask[0, 0]
