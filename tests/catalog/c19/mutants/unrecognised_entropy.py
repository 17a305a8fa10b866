"""exp of the marginal's entropy alone (forgot the rows' own entropy): no known mistake names it."""
MISTAKE = None
import torch


def inception_score(probs, splits=1):
    scores = []
    for part in probs.chunk(splits):
        py = part.mean(0)
        scores.append(torch.exp(-torch.xlogy(py, py).sum()))
    scores = torch.stack(scores)
    return scores.mean(), scores.std(unbiased=False)
