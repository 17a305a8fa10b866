"""The penalty one sample at a time (a loop over the batch, as in per-example gradient code),
eps from real.new_empty(B).uniform_(), the critic's grads cleared with critic.zero_grad()."""
import torch


def wgan_gp_critic_step(critic, optimizer, real, fake, lambda_gp=10.0):
    fake = fake.detach()
    eps = real.new_empty(real.shape[0]).uniform_(0, 1)
    penalties = []
    for i in range(real.shape[0]):
        x = (eps[i] * real[i:i + 1] + (1 - eps[i]) * fake[i:i + 1]).requires_grad_(True)
        (g,) = torch.autograd.grad(critic(x).sum(), x, create_graph=True)
        penalties.append((g.norm() - 1) ** 2)
    loss = critic(fake).mean() - critic(real).mean() + lambda_gp * torch.stack(penalties).mean()
    critic.zero_grad()
    loss.backward()
    optimizer.step()
    return loss.item()
