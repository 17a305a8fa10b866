"""p(y) taken as each row's mean over the classes (mean(1)) instead of the mean row (mean(0))."""
MISTAKE = None
import torch


def inception_score(probs, splits=1):
    scores = []
    for part in probs.chunk(splits):
        py = part.mean(1, keepdim=True)
        scores.append((torch.xlogy(part, part) - torch.xlogy(part, py)).sum(1).mean().exp())
    scores = torch.stack(scores)
    return scores.mean(), scores.std(correction=0)
