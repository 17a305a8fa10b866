"""torchmetrics' InceptionScore copied as is: it takes logits, so probs went through softmax a second time."""
MISTAKE = None
import torch


def inception_score(probs, splits=1):
    prob = probs.softmax(dim=1).chunk(splits, dim=0)
    log_prob = probs.log_softmax(dim=1).chunk(splits, dim=0)
    mean_prob = [p.mean(dim=0, keepdim=True) for p in prob]
    kl_ = [(p * (log_p - m_p.log())).sum(dim=1).mean().exp() for p, log_p, m_p in zip(prob, log_prob, mean_prob)]
    kl = torch.stack(kl_)
    return kl.mean(), kl.std(correction=0)
