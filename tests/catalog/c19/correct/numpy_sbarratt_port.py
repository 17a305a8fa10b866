"""sbarratt/inception-score-pytorch's numpy loop (np.mean / np.std), scipy's entropy(pyx, py) written out with masks."""
import numpy as np
import torch


def _kl(pk, qk):
    nz = pk > 0
    return np.sum(pk[nz] * (np.log(pk[nz]) - np.log(qk[nz])))


def inception_score(probs, splits=1):
    preds = probs.detach().cpu().numpy().astype(np.float64)
    N = preds.shape[0]
    split_scores = []
    for k in range(splits):
        part = preds[k * (N // splits): (k + 1) * (N // splits), :]
        py = np.mean(part, axis=0)
        scores = [_kl(part[i, :], py) for i in range(part.shape[0])]
        split_scores.append(np.exp(np.mean(scores)))
    as_tensor = lambda v: torch.tensor(v, dtype=probs.dtype, device=probs.device)
    return as_tensor(np.mean(split_scores)), as_tensor(np.std(split_scores))
