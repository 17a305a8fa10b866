MISTAKE = "no-logdet"
from torch.distributions import Normal


def flow_log_prob(flow, x):
    z, _ = flow(x)
    return Normal(0.0, 1.0).log_prob(z).flatten(1).sum(1)
