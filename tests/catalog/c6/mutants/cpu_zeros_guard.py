MISTAKE = "hard-coded-device"
import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        p, q = p_data(x), p_g(x)
        s = p + q
        return torch.where(s > 0, p / s, torch.zeros(s.shape, dtype=s.dtype))
    return D
