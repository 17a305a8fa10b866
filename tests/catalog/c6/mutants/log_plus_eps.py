MISTAKE = "clamped-densities"
import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        # log space for stability, with an epsilon "so log never sees 0"
        return torch.sigmoid(torch.log(p_data(x) + 1e-12) - torch.log(p_g(x) + 1e-12))
    return D
