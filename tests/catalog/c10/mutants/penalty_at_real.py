MISTAKE = "critic-not-at-interpolates"
import torch


def wgan_gp_critic_step(critic, optimizer, real, fake, lambda_gp=10.0):
    fake = fake.detach()
    x = real.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
    penalty = ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
    loss = critic(fake).mean() - critic(real).mean() + lambda_gp * penalty
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
