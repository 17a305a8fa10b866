"""torch.nn.functional.kl_div(log p(y), p(y|x), reduction='batchmean'): sum over classes, mean over rows."""
import torch
import torch.nn.functional as F


def inception_score(probs, splits=1):
    n = probs.shape[0] // splits
    scores = probs.new_empty(splits)
    for j in range(splits):
        part = probs[j * n:(j + 1) * n]
        log_py = part.mean(0).log().nan_to_num(neginf=0.0)  # a class no row of the split gives weight
        scores[j] = F.kl_div(log_py.expand_as(part), part, reduction="batchmean").exp()
    mean = scores.mean()
    return mean, ((scores - mean) ** 2).mean().sqrt()
