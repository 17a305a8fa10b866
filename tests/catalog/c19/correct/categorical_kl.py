import torch
from torch.distributions import Categorical, kl_divergence


def inception_score(probs, splits=1):
    """KL from torch.distributions (0 log 0 = 0 built in)."""
    scores = torch.stack([kl_divergence(Categorical(probs=part), Categorical(probs=part.mean(0))).mean().exp()
                          for part in torch.chunk(probs, splits, dim=0)])
    return scores.mean(), scores.std(correction=0)
