MISTAKE = "gradient-blocked"
import torch


def optimal_discriminator(p_data, p_g):
    @torch.no_grad()
    def D(x):
        p, q = p_data(x), p_g(x)
        return p / (p + q)
    return D
