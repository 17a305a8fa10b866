"""Exercise c19: the Inception Score of a set of class probabilities."""

import torch


def inception_score(probs: torch.Tensor, splits: int = 1):
    """The Inception Score, per split of consecutive rows (in the given order):

        p(y)  = the mean of the split's rows
        IS    = exp(mean over the split's rows i of KL(p(y | x_i) || p(y))),
        KL(p || q) = sum over classes k of p_k (log p_k - log q_k), natural log, 0 log 0 = 0

    Args:
        probs: (N, K), row i holds a classifier's p(y | x_i); N is divisible by splits.
        splits: the number of splits.

    Returns:
        (mean, std) of the splits' scores, two 0-dim tensors in probs' dtype; std with ddof = 0.
    """
    raise NotImplementedError("c19: implement inception_score")
