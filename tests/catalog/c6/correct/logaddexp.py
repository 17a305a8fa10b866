import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        log_p, log_q = p_data(x).log(), p_g(x).log()
        return torch.exp(log_p - torch.logaddexp(log_p, log_q))
    return D
