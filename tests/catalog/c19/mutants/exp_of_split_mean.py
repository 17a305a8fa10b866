"""The mean reported as exp of the splits' mean KL instead of the mean of the splits' scores."""
MISTAKE = None
import torch


def inception_score(probs, splits=1):
    kls = []
    for part in probs.chunk(splits):
        py = part.mean(0, keepdim=True)
        kls.append((torch.xlogy(part, part) - torch.xlogy(part, py)).sum(1).mean())
    kls = torch.stack(kls)
    scores = kls.exp()
    return kls.mean().exp(), scores.std(correction=0)
