# c12's loss as its own function (alpha_bar in log space, noise from new_empty().normal_()),
# called by a plain loop; gradients cleared with set_to_none.
import torch


def ddpm_loss(eps_model, x0, noise_schedule):
    t = torch.randint(high=noise_schedule.shape[0], size=(x0.shape[0],), device=x0.device)
    noise = x0.new_empty(x0.shape).normal_()
    log_alpha_bar = torch.cumsum(torch.log1p(-noise_schedule), dim=0)
    ab = log_alpha_bar.exp()[t].view(-1, *([1] * (x0.dim() - 1)))
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
    return torch.nn.functional.mse_loss(eps_model(x_t, t), noise)


def train_ddpm(eps_model, data, noise_schedule, steps, lr=1e-3, batch_size=256):
    optimizer = torch.optim.Adam(params=list(eps_model.parameters()), lr=lr)
    history = []
    for _ in range(steps):
        rows = torch.randint(high=len(data), size=(batch_size,), device=data.device)
        loss = ddpm_loss(eps_model, data.index_select(0, rows), noise_schedule)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        history.append(loss.detach().cpu().item())
    return history
