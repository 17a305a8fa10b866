MISTAKE = "batch-without-replacement"

import torch


def train_ddpm(eps_model, data, noise_schedule, steps, lr=1e-3, batch_size=256):
    # each minibatch a slice of a fresh permutation: rows drawn without replacement
    optimizer = torch.optim.Adam(eps_model.parameters(), lr=lr)
    alpha_bar = torch.cumprod(1 - noise_schedule, dim=0)
    losses = []
    for _ in range(steps):
        x0 = data[torch.randperm(data.shape[0], device=data.device)[:batch_size]]
        t = torch.randint(0, noise_schedule.shape[0], (x0.shape[0],), device=data.device)
        noise = torch.randn_like(x0)
        ab = alpha_bar[t][:, None]
        x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
        loss = ((eps_model(x_t, t) - noise) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    return losses
