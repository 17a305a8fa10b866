"""eps as a 0-dim CPU tensor inside the logs: valid with probs on any device."""
import torch

EPS = torch.tensor(1e-16, dtype=torch.float64)


def inception_score(probs, splits=1):
    scores = []
    for part in probs.chunk(splits):
        py = part.mean(0, keepdim=True)
        eps = EPS.to(probs.dtype)
        kl = part * (torch.log(part + eps) - torch.log(py + eps))
        scores.append(kl.sum(1).mean().exp())
    scores = torch.stack(scores)
    return scores.mean(), scores.std(correction=0)
