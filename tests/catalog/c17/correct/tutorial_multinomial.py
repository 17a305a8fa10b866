# The "diffusion from scratch" swiss-roll notebooks: schedule tables precomputed, rows and steps
# drawn with torch.multinomial (with replacement), (diff ** 2).mean(), zero_grad(set_to_none=False),
# and the notebooks' clip_grad_norm_(model.parameters(), 1.) between backward and step.
import torch


def train_ddpm(eps_model, data, noise_schedule, steps, lr=1e-3, batch_size=256):
    n_steps = len(noise_schedule)
    alphas = 1 - noise_schedule
    alphas_prod = torch.cumprod(alphas, 0)
    alphas_bar_sqrt = torch.sqrt(alphas_prod)
    one_minus_alphas_bar_sqrt = torch.sqrt(1 - alphas_prod)
    optimizer = torch.optim.Adam(eps_model.parameters(), lr=lr)
    row_weights = torch.ones(data.shape[0], device=data.device)
    step_weights = torch.ones(n_steps, device=data.device)
    losses = []
    for _ in range(steps):
        batch_x = data[torch.multinomial(row_weights, batch_size, replacement=True)]
        t = torch.multinomial(step_weights, batch_size, replacement=True)
        e = torch.randn_like(batch_x)
        a = alphas_bar_sqrt[t].unsqueeze(-1)
        am1 = one_minus_alphas_bar_sqrt[t].unsqueeze(-1)
        x = batch_x * a + e * am1
        output = eps_model(x, t)
        loss = (e - output).square().mean()
        optimizer.zero_grad(set_to_none=False)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(eps_model.parameters(), 1.)
        optimizer.step()
        losses.append(float(loss.detach()))
    return losses
