"""aladdinpersson's gradient_penalty, whose interpolates require grad only through fake, after fake.detach()."""
MISTAKE = "interpolates-without-grad"
import torch


def gradient_penalty(critic, real, fake):
    alpha = torch.rand(real.shape[0], *([1] * (real.dim() - 1)), dtype=real.dtype, device=real.device)
    interpolated_images = real * alpha + fake * (1 - alpha)
    mixed_scores = critic(interpolated_images)
    gradient = torch.autograd.grad(inputs=interpolated_images, outputs=mixed_scores,
                                   grad_outputs=torch.ones_like(mixed_scores), create_graph=True, retain_graph=True)[0]
    gradient = gradient.view(gradient.shape[0], -1)
    return torch.mean((gradient.norm(2, dim=1) - 1) ** 2)


def wgan_gp_critic_step(critic, optimizer, real, fake, lambda_gp=10.0):
    fake = fake.detach()
    gp = gradient_penalty(critic, real, fake)
    loss_critic = critic(fake).mean() - critic(real).mean() + lambda_gp * gp
    optimizer.zero_grad()
    loss_critic.backward()
    optimizer.step()
    return loss_critic.item()
