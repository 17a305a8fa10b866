"""eps = 1e-3 added inside the logs (far too large)."""
MISTAKE = None
import torch


def inception_score(probs, splits=1):
    scores = []
    for part in probs.chunk(splits):
        py = part.mean(0, keepdim=True)
        kl = part * (torch.log(part + 1e-3) - torch.log(py + 1e-3))
        scores.append(kl.sum(1).mean().exp())
    scores = torch.stack(scores)
    return scores.mean(), scores.std(correction=0)
