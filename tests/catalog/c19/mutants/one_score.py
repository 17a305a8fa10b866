MISTAKE = "splits-ignored"
import torch


def inception_score(probs, splits=1):
    py = probs.mean(0, keepdim=True)
    kl = (torch.xlogy(probs, probs) - torch.xlogy(probs, py)).sum(1)
    score = kl.mean().exp()
    return score, torch.zeros_like(score)
