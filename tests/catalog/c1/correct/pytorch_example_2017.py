# The 2017 PyTorch VAE example (examples/vae/main.py, Variable era): a method turned into a function.
from torch.autograd import Variable


def reparameterize(mu, log_var, training=True):
    if training:
        std = log_var.mul(0.5).exp_()
        eps = Variable(std.data.new(std.size()).normal_())
        return eps.mul(std).add_(mu)
    else:
        return mu
