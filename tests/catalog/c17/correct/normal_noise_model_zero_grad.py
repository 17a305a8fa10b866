# torch.normal noise, Normal-free; the model's own zero_grad() after each step; the alpha_bar
# factors gathered per sample and broadcast with [:, None]; losses as float(loss.item()).
import torch


def train_ddpm(eps_model, data, noise_schedule, steps, lr=1e-3, batch_size=256):
    device = data.device
    alpha_bars = (1.0 - noise_schedule).cumprod(dim=0)
    adam = torch.optim.Adam(eps_model.parameters(), lr)
    eps_model.train()
    out = []
    for _ in range(steps):
        x0 = data[torch.randint(data.size(0), (batch_size,), device=device)]
        t = torch.randint(0, len(alpha_bars), (batch_size,), device=device, dtype=torch.long)
        eps = torch.normal(mean=torch.zeros_like(x0), std=torch.ones_like(x0))
        a = alpha_bars.gather(0, t)[:, None]
        noisy = torch.sqrt(a) * x0 + torch.sqrt(1.0 - a) * eps
        loss = torch.mean((eps_model(noisy, t) - eps) ** 2)
        loss.backward()
        adam.step()
        eps_model.zero_grad()
        out.append(float(loss.item()))
    return out
