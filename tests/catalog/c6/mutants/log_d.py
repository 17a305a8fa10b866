MISTAKE = "log-d"
import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        p, q = p_data(x), p_g(x)
        return torch.log(p) - torch.log(p + q)  # log D, as in the objective
    return D
