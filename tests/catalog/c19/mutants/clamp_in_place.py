MISTAKE = "modifies-input"
import torch


def inception_score(probs, splits=1):
    probs.clamp_(min=1e-12)  # avoid log(0)
    scores = []
    for part in probs.chunk(splits):
        kl = (part * (part.log() - part.mean(0, keepdim=True).log())).sum(1)
        scores.append(kl.mean().exp())
    scores = torch.stack(scores)
    return scores.mean(), scores.std(unbiased=False)
