MISTAKE = "two-steps"
import torch


def wgan_gp_critic_step(critic, optimizer, real, fake, lambda_gp=10.0):
    fake = fake.detach()
    optimizer.zero_grad()
    w_loss = critic(fake).mean() - critic(real).mean()
    w_loss.backward()
    optimizer.step()
    eps = torch.rand(real.shape[0], *([1] * (real.dim() - 1)), dtype=real.dtype, device=real.device)
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    penalty = lambda_gp * ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
    optimizer.zero_grad()
    penalty.backward()
    optimizer.step()
    return w_loss.item() + penalty.item()
