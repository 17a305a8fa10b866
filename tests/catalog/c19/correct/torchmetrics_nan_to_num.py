"""Lightning-AI/torchmetrics InceptionScore.compute, from logits adapted to probabilities (log of probs,
0 * -inf = nan zeroed by nan_to_num) and its unbiased std switched to the contract's ddof = 0."""
import torch


def inception_score(probs, splits=1):
    prob = probs.chunk(splits, dim=0)
    log_prob = probs.log().chunk(splits, dim=0)
    mean_prob = [p.mean(dim=0, keepdim=True) for p in prob]
    kl_ = [torch.nan_to_num(p * (log_p - m_p.log()), nan=0.0) for p, log_p, m_p in zip(prob, log_prob, mean_prob)]
    kl_ = [k.sum(dim=1).mean().exp() for k in kl_]
    kl = torch.stack(kl_)
    return kl.mean(), kl.std(correction=0)
