"""Scores collected as Python floats (.item()), the mean and std by the statistics module (pstdev: ddof 0),
turned back into tensors of probs' dtype on its device."""
import statistics

import torch


def inception_score(probs, splits=1):
    n = probs.shape[0] // splits
    scores = []
    for j in range(splits):
        part = probs[j * n:(j + 1) * n].double()
        kl = torch.special.xlogy(part, part) - torch.special.xlogy(part, part.mean(0, keepdim=True))
        scores.append(kl.sum(1).mean().exp().item())
    as_tensor = lambda v: torch.tensor(v, dtype=probs.dtype, device=probs.device)
    return as_tensor(statistics.fmean(scores)), as_tensor(statistics.pstdev(scores))
