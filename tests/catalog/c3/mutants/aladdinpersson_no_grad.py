MISTAKE = "interpolates-without-grad"
# aladdinpersson/Machine-Learning-Collection (GANs/4. WGAN-GP/utils.py), adapted with the smallest
# change: alpha shaped for any rank, and the device taken from real. Its interpolates require grad only
# through fake (a generator's output in its training loop); given plain tensors, autograd.grad raises.
import torch


def gradient_penalty(critic, real, fake):
    BATCH_SIZE = real.shape[0]
    alpha = torch.rand((BATCH_SIZE, *[1] * (real.dim() - 1))).repeat(1, *real.shape[1:]).to(real.device)
    interpolated_images = real * alpha + fake * (1 - alpha)

    # Calculate critic scores
    mixed_scores = critic(interpolated_images)

    # Take the gradient of the scores with respect to the images
    gradient = torch.autograd.grad(
        inputs=interpolated_images,
        outputs=mixed_scores,
        grad_outputs=torch.ones_like(mixed_scores),
        create_graph=True,
        retain_graph=True,
    )[0]
    gradient = gradient.view(gradient.shape[0], -1)
    gradient_norm = gradient.norm(2, dim=1)
    gradient_penalty = torch.mean((gradient_norm - 1) ** 2)
    return gradient_penalty
