"""caogang/wgan-gp (gan_toy.py) critic iteration: fake taken through .data, alpha from
real_data.data.new(...).uniform_(), D_real.backward(mone), D_fake.backward(one), penalty.backward()."""
import torch
from torch import autograd


def calc_gradient_penalty(netD, real_data, fake_data, LAMBDA):
    BATCH_SIZE = real_data.size(0)
    alpha = real_data.data.new(BATCH_SIZE, 1).uniform_()
    alpha = alpha.expand(BATCH_SIZE, real_data[0].nelement()).contiguous().view(real_data.size())
    interpolates = alpha * real_data + ((1 - alpha) * fake_data)
    interpolates = autograd.Variable(interpolates, requires_grad=True)
    disc_interpolates = netD(interpolates)
    gradients = autograd.grad(outputs=disc_interpolates, inputs=interpolates,
                              grad_outputs=torch.ones(disc_interpolates.size(), dtype=real_data.dtype,
                                                      device=real_data.device),
                              create_graph=True, retain_graph=True, only_inputs=True)[0]
    gradients = gradients.view(BATCH_SIZE, -1)
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean() * LAMBDA


def wgan_gp_critic_step(netD, optimizerD, real_data, fake, lambda_gp=10.0):
    one = torch.tensor(1, dtype=real_data.dtype, device=real_data.device)
    mone = one * -1
    fake = autograd.Variable(fake.data)
    netD.zero_grad()
    D_real = netD(real_data).mean()
    D_real.backward(mone)
    D_fake = netD(fake).mean()
    D_fake.backward(one)
    gradient_penalty = calc_gradient_penalty(netD, real_data.data, fake.data, lambda_gp)
    gradient_penalty.backward()
    D_cost = D_fake - D_real + gradient_penalty
    optimizerD.step()
    return float(D_cost)
