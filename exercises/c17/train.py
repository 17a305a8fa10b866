"""Exercise c17: train a DDPM end to end on a swiss roll."""

import torch


def train_ddpm(eps_model, data, noise_schedule, steps, lr=1e-3, batch_size=256):
    """Train `eps_model` in place with Adam on the DDPM loss (c12), and return the step losses.

    For each of `steps` steps:
        x0 = batch_size rows of data, drawn uniformly WITH replacement
        t_i ~ uniform on {0, ..., T-1}, one per sample;  noise ~ N(0, I), shaped like x0
        x_t = sqrt(alpha_bar_t) * x0 + sqrt(1 - alpha_bar_t) * noise,  alpha_bar_t = prod_{s<=t} (1 - beta_s)
        loss = mean over all elements of (eps_model(x_t, t) - noise)^2
        zero the gradients, loss.backward(), one Adam step (learning rate `lr`)

    Args:
        eps_model: a torch.nn.Module taking (x_t, t), x_t of shape (B, 2) and t a LongTensor (B,);
            it predicts the noise. Train it in place (the caller samples from it afterwards).
        data: the training points, a float32 tensor (N, 2) (a swiss roll). Leave it unchanged.
        noise_schedule: 1-D float32 tensor of betas, beta_1..beta_T at indices 0..T-1.
        steps: the number of optimizer steps.
        lr: Adam's learning rate.
        batch_size: rows per minibatch.

    Returns:
        a list of `steps` Python floats: each step's loss (loss.item()), in order.
    """
    raise NotImplementedError("c17: implement train_ddpm")
