MISTAKE = "zero-log-zero"
import torch


def inception_score(probs, splits=1):
    """The original improved-GAN code, ported: part * (log(part) - log(py)) is nan where part = 0."""
    scores = []
    n = probs.shape[0]
    for i in range(splits):
        part = probs[(i * n // splits):((i + 1) * n // splits), :]
        kl = part * (torch.log(part) - torch.log(torch.mean(part, 0, keepdim=True)))
        kl = torch.mean(torch.sum(kl, 1))
        scores.append(torch.exp(kl))
    scores = torch.stack(scores)
    return torch.mean(scores), torch.sqrt(torch.mean((scores - torch.mean(scores)) ** 2))
