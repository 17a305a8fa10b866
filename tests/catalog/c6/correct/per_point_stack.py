import torch


def optimal_discriminator(p_data, p_g):
    def D(x):
        values = []
        for point in x:  # slow but fine: one point at a time
            p, q = p_data(point.unsqueeze(0)), p_g(point.unsqueeze(0))
            values.append(p / (p + q))
        return torch.cat(values)
    return D
