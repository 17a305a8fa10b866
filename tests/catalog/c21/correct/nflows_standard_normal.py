import numpy as np
import torch


class StandardNormal:
    """nflows' StandardNormal, with its log normalizer kept as a float64 constant."""

    def __init__(self, shape):
        self._shape = torch.Size(shape)
        self._log_z = torch.tensor(0.5 * np.prod(shape) * np.log(2 * np.pi), dtype=torch.float64)

    def log_prob(self, inputs):
        neg_energy = -0.5 * inputs.pow(2).reshape(inputs.shape[0], -1).sum(-1)
        return neg_energy - self._log_z


def flow_log_prob(flow, x):
    noise, logabsdet = flow(x)
    return StandardNormal(x.shape[1:]).log_prob(noise) + logabsdet
