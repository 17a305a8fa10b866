# 1Konny/Beta-VAE (solver.py), `reparametrize`, adapted with the smallest change: the training flag.
import torch
from torch.autograd import Variable


def reparameterize(mu, log_var, training=True):
    if not training:
        return mu
    std = log_var.div(2).exp()
    eps = Variable(std.data.new(std.size()).normal_())
    return mu + std * eps
