MISTAKE = "eps-reused"
import torch

_EPS = {}


def wgan_gp_critic_step(critic, optimizer, real, fake, lambda_gp=10.0):
    fake = fake.detach()
    if real.shape[0] not in _EPS:
        _EPS[real.shape[0]] = torch.rand(real.shape[0], dtype=torch.float64)
    eps = _EPS[real.shape[0]].to(real).view(-1, *([1] * (real.dim() - 1)))
    x_hat = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    penalty = ((grad.flatten(1).norm(2, dim=1) - 1) ** 2).mean()
    loss = critic(fake).mean() - critic(real).mean() + lambda_gp * penalty
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
