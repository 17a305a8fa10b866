"""Zeleni9/pytorch-wgan's WGAN-GP critic iteration: three backward calls (mone, one, penalty),
eta from a FloatTensor's uniform_, Variable-era code; moved to the inputs' device and dtype."""
import torch
from torch import autograd
from torch.autograd import Variable


def calculate_gradient_penalty(D, real_images, fake_images, lambda_term):
    batch_size = real_images.size(0)
    eta = torch.FloatTensor(batch_size, *([1] * (real_images.dim() - 1))).uniform_(0, 1)
    eta = eta.expand(real_images.size()).to(real_images)
    interpolated = eta * real_images + ((1 - eta) * fake_images)
    interpolated = Variable(interpolated, requires_grad=True)
    prob_interpolated = D(interpolated)
    gradients = autograd.grad(outputs=prob_interpolated, inputs=interpolated,
                              grad_outputs=torch.ones(prob_interpolated.size()).to(real_images),
                              create_graph=True, retain_graph=True)[0]
    grad_penalty = ((gradients.view(batch_size, -1).norm(2, dim=1) - 1) ** 2).mean() * lambda_term
    return grad_penalty


def wgan_gp_critic_step(D, d_optimizer, images, fake_images, lambda_gp=10.0):
    one = torch.tensor(1, dtype=images.dtype, device=images.device)
    mone = one * -1
    fake_images = fake_images.detach()
    D.zero_grad()
    d_loss_real = D(images)
    d_loss_real = d_loss_real.mean()
    d_loss_real.backward(mone)
    d_loss_fake = D(fake_images)
    d_loss_fake = d_loss_fake.mean()
    d_loss_fake.backward(one)
    gradient_penalty = calculate_gradient_penalty(D, images.data, fake_images.data, lambda_gp)
    gradient_penalty.backward()
    d_loss = d_loss_fake - d_loss_real + gradient_penalty
    d_optimizer.step()
    return d_loss.item()
