"""Entropy form H(p(y)) - mean_i H(p(y|x_i)) with Categorical.entropy() (pyro/torch.distributions style)."""
import torch
from torch.distributions import Categorical


def inception_score(probs, splits=1):
    scores = []
    for part in torch.split(probs, probs.shape[0] // splits):
        mi = Categorical(probs=part.mean(dim=0)).entropy() - Categorical(probs=part).entropy().mean()
        scores.append(torch.exp(mi))
    scores = torch.stack(scores)
    return torch.mean(scores), torch.std(scores, correction=0)
