MISTAKE = None  # exactly right values, shaped (N, 1): only the shape check may fail
import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        p, q = p_data(x), p_g(x)
        both = torch.stack([p, q], dim=1)
        return both[:, :1] / both.sum(dim=1, keepdim=True)
    return D
