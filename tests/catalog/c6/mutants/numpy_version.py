MISTAKE = "gradient-blocked"
import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        p, q = p_data(x).cpu().numpy(), p_g(x).cpu().numpy()  # raises when x requires grad
        return torch.from_numpy(p / (p + q)).to(x.device)
    return D
