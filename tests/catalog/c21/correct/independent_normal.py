"""torch.distributions.Independent over a Normal of one sample's shape (the event holds C, H, W)."""
from torch.distributions import Independent, Normal


def flow_log_prob(flow, x):
    z, log_det = flow(x)
    event = z.shape[1:]
    base = Independent(Normal(z.new_zeros(event), z.new_ones(event)), len(event))
    return base.log_prob(z) + log_det
