MISTAKE = "reversed-kl"
import torch


def inception_score(probs, splits=1):
    scores = []
    for part in probs.chunk(splits):
        py = part.mean(0, keepdim=True).expand_as(part)
        kl = (py * (torch.log(py) - torch.log(part))).sum(1)
        scores.append(torch.exp(kl.mean()))
    scores = torch.stack(scores)
    return scores.mean(), scores.std(unbiased=False)
