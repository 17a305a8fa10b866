"""karpathy/pytorch-normalizing-flows' default prior copied: a logistic (sigmoid of a uniform), not N(0, 1)."""
MISTAKE = None
import torch
from torch.distributions import SigmoidTransform, TransformedDistribution, Uniform


def flow_log_prob(flow, x):
    zs, log_det = flow(x)
    zero, one = zs.new_zeros(()), zs.new_ones(())
    prior = TransformedDistribution(Uniform(zero, one), SigmoidTransform().inv)
    return prior.log_prob(zs).view(x.size(0), -1).sum(1) + log_det
