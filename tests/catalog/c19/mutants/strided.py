MISTAKE = "strided-splits"
import torch


def inception_score(probs, splits=1):
    scores = []
    for k in range(splits):
        part = probs[k::splits]
        py = part.mean(0, keepdim=True)
        kl = (torch.xlogy(part, part) - torch.xlogy(part, py)).sum(1)
        scores.append(kl.mean().exp())
    scores = torch.stack(scores)
    return scores.mean(), scores.std(unbiased=False)
