"""aladdinpersson's WGAN-GP (utils.gradient_penalty and the critic loop), with the smallest changes
to this contract: fake detached, the interpolates made to require grad, lambda from the argument."""
import torch


def gradient_penalty(critic, real, fake, device="cpu"):
    BATCH_SIZE = real.shape[0]
    alpha = torch.rand((BATCH_SIZE,) + (1,) * (real.dim() - 1)).repeat(1, *real.shape[1:]).to(real)
    interpolated_images = (real * alpha + fake * (1 - alpha)).requires_grad_(True)
    mixed_scores = critic(interpolated_images)
    gradient = torch.autograd.grad(inputs=interpolated_images, outputs=mixed_scores,
                                   grad_outputs=torch.ones_like(mixed_scores), create_graph=True, retain_graph=True)[0]
    gradient = gradient.view(gradient.shape[0], -1)
    gradient_norm = gradient.norm(2, dim=1)
    return torch.mean((gradient_norm - 1) ** 2)


def wgan_gp_critic_step(critic, opt_critic, real, fake, lambda_gp=10.0):
    fake = fake.detach()
    critic_real = critic(real).reshape(-1)
    critic_fake = critic(fake).reshape(-1)
    gp = gradient_penalty(critic, real, fake, device=real.device)
    loss_critic = -(torch.mean(critic_real) - torch.mean(critic_fake)) + lambda_gp * gp
    critic.zero_grad()
    loss_critic.backward(retain_graph=True)
    opt_critic.step()
    return loss_critic.item()
