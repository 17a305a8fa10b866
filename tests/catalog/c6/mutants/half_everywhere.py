MISTAKE = "half-everywhere"
import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        return torch.full_like(p_data(x), 0.5)  # "at the optimum D = 1/2"
    return D
