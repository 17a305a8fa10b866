MISTAKE = "marginal-over-all-splits"
import torch


def inception_score(probs, splits=1):
    py = probs.mean(0, keepdim=True)  # computed once, before splitting
    scores = []
    for part in probs.chunk(splits):
        kl = (torch.xlogy(part, part) - torch.xlogy(part, py)).sum(1)
        scores.append(kl.mean().exp())
    scores = torch.stack(scores)
    return scores.mean(), scores.std(unbiased=False)
