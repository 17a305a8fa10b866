"""One critic call on cat([real, fake, x_hat]); eps from Uniform(0, 1).rsample; zero_grad(set_to_none=False)."""
import torch
from torch.distributions import Uniform


def wgan_gp_critic_step(critic, optimizer, real, fake, lambda_gp=10.0):
    b = real.shape[0]
    fake = fake.detach()
    zero, one = torch.zeros((), dtype=real.dtype, device=real.device), torch.ones((), dtype=real.dtype, device=real.device)
    eps = Uniform(zero, one).rsample((b,)).view(b, *([1] * (real.dim() - 1)))
    x_hat = torch.lerp(fake, real, eps).requires_grad_(True)
    scores = critic(torch.cat([real, fake, x_hat])).reshape(-1)
    s_real, s_fake, s_hat = scores[:b], scores[b:2 * b], scores[2 * b:]
    (grad,) = torch.autograd.grad(s_hat, x_hat, grad_outputs=torch.ones_like(s_hat), create_graph=True)
    penalty = ((torch.linalg.vector_norm(grad.reshape(b, -1), dim=1) - 1) ** 2).mean()
    loss = s_fake.mean() - s_real.mean() + lambda_gp * penalty
    optimizer.zero_grad(set_to_none=False)
    loss.backward()
    optimizer.step()
    return loss.item()
