"""caogang-style separate backward calls, with `one` and `mone` swapped."""
MISTAKE = "sign-flipped"
import torch


def wgan_gp_critic_step(critic, optimizer, real, fake, lambda_gp=10.0):
    one = torch.ones((), dtype=real.dtype, device=real.device)
    mone = -one
    fake = fake.detach()
    optimizer.zero_grad()
    d_real = critic(real).mean()
    d_real.backward(one)
    d_fake = critic(fake).mean()
    d_fake.backward(mone)
    alpha = torch.rand(real.size(0), *([1] * (real.dim() - 1)), dtype=real.dtype, device=real.device)
    interpolates = (alpha * real + (1 - alpha) * fake).requires_grad_(True)
    disc = critic(interpolates)
    gradients = torch.autograd.grad(disc, interpolates, torch.ones_like(disc), create_graph=True)[0]
    gradient_penalty = ((gradients.view(gradients.size(0), -1).norm(2, dim=1) - 1) ** 2).mean() * lambda_gp
    gradient_penalty.backward()
    optimizer.step()
    return (d_real - d_fake + gradient_penalty).item()
