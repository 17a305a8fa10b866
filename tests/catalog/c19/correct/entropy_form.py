import torch


def entropy(p, dim=-1):
    return -torch.special.xlogy(p, p).sum(dim)


def inception_score(probs, splits=1):
    """mean KL(p(y|x) || p(y)) = H(p(y)) - mean H(p(y|x)): the mutual information of x and y."""
    parts = probs.reshape(splits, -1, probs.shape[1])
    mutual_information = entropy(parts.mean(1)) - entropy(parts).mean(1)
    scores = mutual_information.exp()
    return scores.mean(), torch.sqrt(torch.mean((scores - scores.mean()) ** 2))
