"""Exercise c15: classifier-free guidance (Ho and Salimans 2021)."""

import torch


def guided_eps(eps_model, x_t: torch.Tensor, t: torch.Tensor, cond, null_cond, guidance_scale: float) -> torch.Tensor:
    """The guided noise prediction:

        eps_c = eps_model(x_t, t, cond),   eps_u = eps_model(x_t, t, null_cond)
        eps   = eps_u + w * (eps_c - eps_u),   w = guidance_scale

    w = 1 gives the conditional prediction, w = 0 the unconditional one; no special case
    for small w. Either call the model twice, or once on the doubled batch: x_t, t and the
    conditions each concatenated along dim 0 (cond first), then split the output in two.

    Args:
        eps_model: eps_model(x, t, c) -> a prediction shaped like x.
        x_t: the batch, shape (B, ...), float32 or float64, on any device.
        t: a LongTensor of shape (B,).
        cond, null_cond: the conditions (a tensor with leading dim B each: class labels or
            embeddings); null_cond is the "no condition" input the model was trained with.
        guidance_scale: w, a float >= 0.

    Returns:
        eps shaped like x_t, in its dtype; differentiable.
    """
    raise NotImplementedError("c15: implement guided_eps")
