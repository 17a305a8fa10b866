MISTAKE = "direction-not-clamped"
import torch


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    # ermongroup/ddim generalized_steps as written there: c2 = ((1 - at_next) - c1 ** 2).sqrt(), no clamp
    ab = torch.cat([torch.ones(1, dtype=noise_schedule.dtype, device=noise_schedule.device),
                    torch.cumprod(1 - noise_schedule, 0)])
    at, at_next = ab[t + 1], ab[t_prev + 1]
    et = eps_model(x_t, torch.full((x_t.shape[0],), t, dtype=torch.long, device=x_t.device))
    x0_t = (x_t - et * (1 - at).sqrt()) / at.sqrt()
    c1 = eta * ((1 - at / at_next) * (1 - at_next) / (1 - at)).sqrt()
    c2 = ((1 - at_next) - c1 ** 2).sqrt()
    out = at_next.sqrt() * x0_t + c2 * et
    if eta > 0:
        out = out + c1 * (torch.randn_like(x_t) if noise is None else noise)
    return out
