"""The common Inception Score port with a tiny epsilon in the logs (and numpy's std, ddof 0)."""
import torch

EPS = 1e-16


def inception_score(probs, splits=1):
    split_scores = []
    for k in range(splits):
        part = probs[k * (probs.shape[0] // splits): (k + 1) * (probs.shape[0] // splits)]
        py = torch.mean(part, dim=0)
        scores = []
        for i in range(part.shape[0]):
            pyx = part[i, :]
            scores.append(torch.sum(pyx * (torch.log(pyx + EPS) - torch.log(py + EPS))))
        split_scores.append(torch.exp(torch.mean(torch.stack(scores))))
    split_scores = torch.stack(split_scores)
    return torch.mean(split_scores), torch.std(split_scores, unbiased=False)
