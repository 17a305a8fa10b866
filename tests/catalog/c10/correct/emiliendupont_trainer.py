"""EmilienDupont/wgan-gp's Trainer._critic_train_iteration and _gradient_penalty, methods turned
into functions: alpha expanded, torch_grad with grad_outputs of ones, sqrt(sum + 1e-12)."""
import torch
from torch.autograd import Variable
from torch.autograd import grad as torch_grad


def _gradient_penalty(D, real_data, generated_data, gp_weight):
    batch_size = real_data.size()[0]
    alpha = torch.rand(batch_size, *([1] * (real_data.dim() - 1)), dtype=real_data.dtype, device=real_data.device)
    alpha = alpha.expand_as(real_data)
    interpolated = alpha * real_data.data + (1 - alpha) * generated_data.data
    interpolated = Variable(interpolated, requires_grad=True)
    prob_interpolated = D(interpolated)
    gradients = torch_grad(outputs=prob_interpolated, inputs=interpolated,
                           grad_outputs=torch.ones(prob_interpolated.size(), dtype=real_data.dtype,
                                                   device=real_data.device),
                           create_graph=True, retain_graph=True)[0]
    gradients = gradients.view(batch_size, -1)
    gradients_norm = torch.sqrt(torch.sum(gradients ** 2, dim=1) + 1e-12)
    return gp_weight * ((gradients_norm - 1) ** 2).mean()


def wgan_gp_critic_step(D, D_opt, data, generated_data, lambda_gp=10.0):
    generated_data = generated_data.detach()
    d_real = D(data)
    d_generated = D(generated_data)
    gradient_penalty = _gradient_penalty(D, data, generated_data, lambda_gp)
    D_opt.zero_grad()
    d_loss = d_generated.mean() - d_real.mean() + gradient_penalty
    d_loss.backward()
    D_opt.step()
    return d_loss.item()
