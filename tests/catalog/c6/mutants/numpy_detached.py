MISTAKE = "gradient-blocked"
import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        p = p_data(x).detach().cpu().numpy()
        q = p_g(x).detach().cpu().numpy()
        return torch.as_tensor(p / (p + q), device=x.device)
    return D
