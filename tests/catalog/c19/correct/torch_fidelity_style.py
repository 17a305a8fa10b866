"""torch-fidelity's inception_score_from_probs, from its logits route adapted to probabilities."""
import torch


def inception_score(probs, splits=1):
    N, C = probs.shape
    log_p = torch.log(probs)  # -inf where a probability is 0; the product below masks it
    scores = []
    for i in range(splits):
        p_chunk = probs[(i * N) // splits: ((i + 1) * N) // splits, :]
        log_p_chunk = log_p[(i * N) // splits: ((i + 1) * N) // splits, :]
        q_chunk = p_chunk.mean(dim=0, keepdim=True)
        kl = p_chunk * (log_p_chunk - q_chunk.log())
        kl = torch.where(p_chunk > 0, kl, torch.zeros_like(kl)).sum(dim=1).mean().exp()
        scores.append(kl.unsqueeze(0))
    scores = torch.cat(scores, dim=0)
    return scores.mean(), scores.std(unbiased=False)
