# eps in the Variable-era idiom: real.data.new(B, 1, ..., 1).uniform_(), then a Variable that requires grad.
import torch
from torch.autograd import Variable


def gradient_penalty(critic, real, fake):
    alpha = real.data.new(real.size(0), *([1] * (real.dim() - 1))).uniform_(0, 1)
    interpolates = Variable(alpha * real.data + (1 - alpha) * fake.data, requires_grad=True)
    scores = critic(interpolates)
    gradients = torch.autograd.grad(outputs=scores, inputs=interpolates, grad_outputs=torch.ones_like(scores),
                                    create_graph=True, retain_graph=True)[0]
    gradients = gradients.view(gradients.size(0), -1)
    return ((gradients.norm(2, dim=1) - 1) ** 2).mean()
