MISTAKE = "log-base-2"
import torch


def inception_score(probs, splits=1):
    scores = []
    for part in probs.chunk(splits):
        py = part.mean(0, keepdim=True)
        kl = (part * (torch.log2(part) - torch.log2(py))).nan_to_num().sum(1)
        scores.append(kl.mean().exp())
    scores = torch.stack(scores)
    return scores.mean(), scores.std(unbiased=False)
