"""Exercise c22: the masks of a PixelCNN's masked convolutions."""

import torch


def pixelcnn_mask(kernel_size: int, mask_type: str) -> torch.Tensor:
    """The (k, k) mask that makes a k x k convolution causal in raster order (rows top to
    bottom, each row left to right).

    With c = k // 2 the centre: mask[i, j] = 1 for every row i < c, and for i == c and j < c;
    the centre mask[c, c] is 1 for type "B" and 0 for type "A"; every other entry is 0.
    Type "A" (the first layer) hides the pixel being predicted; type "B" (later layers) lets
    it through, since there it only carries what was seen before.

    Args:
        kernel_size: an odd k >= 1 (k = 1 gives [[0]] for "A" and [[1]] for "B").
        mask_type: "A" or "B".

    Returns:
        a float32 tensor of shape (k, k) holding 0s and 1s.

    Raises:
        ValueError: for an even kernel_size or a mask_type other than "A" and "B", with a
            message that says which.
    """
    raise NotImplementedError("c22: implement pixelcnn_mask")
