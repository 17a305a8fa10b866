MISTAKE = "hard-coded-device"
import torch


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    log_2pi = torch.log(torch.tensor([2 * torch.pi], dtype=x.dtype))
    return (-0.5 * (z ** 2 + log_2pi)).flatten(1).sum(1) + log_det
