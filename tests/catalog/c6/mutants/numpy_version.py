MISTAKE = "gradient-blocked"
import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        p, q = p_data(x).numpy(), p_g(x).numpy()
        return torch.from_numpy(p / (p + q))
    return D
