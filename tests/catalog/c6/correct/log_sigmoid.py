import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        logit = torch.log(p_data(x)) - torch.log(p_g(x))
        return torch.sigmoid(logit)
    return D
