import torch


def pixelcnn_mask(kernel_size, mask_type):
    if kernel_size % 2 == 0:
        raise ValueError(f"kernel size {kernel_size} is even; PixelCNN needs a centre pixel")
    if mask_type != "A" and mask_type != "B":
        raise ValueError(f"mask type {mask_type} is neither A nor B")
    c = kernel_size // 2
    rows = []
    for i in range(kernel_size):
        row = []
        for j in range(kernel_size):
            before = i < c or (i == c and j < c)
            centre_b = i == c and j == c and mask_type == "B"
            row.append(1.0 if before or centre_b else 0.0)
        rows.append(row)
    return torch.tensor(rows, dtype=torch.float32)
