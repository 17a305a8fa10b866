MISTAKE = "hard-coded-device"
import torch


def inception_score(probs, splits=1):
    scores = torch.zeros(splits, dtype=probs.dtype)
    for j, part in enumerate(probs.chunk(splits)):
        py = part.mean(0, keepdim=True)
        scores[j] = (torch.xlogy(part, part) - torch.xlogy(part, py)).sum(1).mean().exp()
    return scores.mean(), scores.std(unbiased=False)
