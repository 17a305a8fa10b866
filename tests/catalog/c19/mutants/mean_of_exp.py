MISTAKE = "exp-inside-mean"
import torch


def inception_score(probs, splits=1):
    scores = []
    for part in probs.chunk(splits):
        py = part.mean(0, keepdim=True)
        kl = (torch.xlogy(part, part) - torch.xlogy(part, py)).sum(1)
        scores.append(kl.exp().mean())
    scores = torch.stack(scores)
    return scores.mean(), scores.std(unbiased=False)
