MISTAKE = 'modifies-input'

import torch


def train_ddpm(eps_model, data, noise_schedule, steps, lr=1e-3, batch_size=256):
    """Adam on c12's loss, one minibatch (drawn with replacement) per step; the step losses."""
    optimizer = torch.optim.Adam(eps_model.parameters(), lr=lr)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)
    data -= data.mean(0)  # centre the data first
    losses = []
    eps_model.train()
    for _ in range(steps):
        x0 = data[torch.randint(0, data.shape[0], (batch_size,), device=data.device)]
        t = torch.randint(0, noise_schedule.shape[0], (batch_size,), device=data.device)
        noise = torch.randn_like(x0)
        ab = alpha_bar[t].reshape(-1, *([1] * (x0.dim() - 1)))
        x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        loss = ((eps_model(x_t, t) - noise) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
