"""Reference solution of exercise c19."""

import torch


def inception_score(probs, splits=1):
    """exp(mean KL(p(y|x_i) || p(y))) per block of consecutive rows; xlogy makes 0 log 0 = 0."""
    scores = []
    for part in probs.chunk(splits):
        p_y = part.mean(dim=0, keepdim=True)
        kl = (torch.xlogy(part, part) - torch.xlogy(part, p_y)).sum(dim=1)
        scores.append(kl.mean().exp())
    scores = torch.stack(scores)
    return scores.mean(), (scores - scores.mean()).pow(2).mean().sqrt()
