import torch


def compute_alpha(beta, t, ndim):
    # ermongroup/ddim functions/denoising.py: a zero prepended to the betas, so index t + 1 = 0 gives alpha_bar = 1
    beta = torch.cat([torch.zeros(1).to(beta.device), beta], dim=0)
    a = (1 - beta).cumprod(dim=0).index_select(0, t + 1)
    return a.view(-1, *([1] * (ndim - 1)))


def ddim_step(eps_model, x_t, t, t_prev, noise_schedule, eta=0.0, noise=None):
    # one pass of generalized_steps' loop body; t handed as a LongTensor and the shape-(n, 1, 1, 1)
    # view made rank-generic (the contract), the direction clamped at 0, noise drawn only for eta > 0
    n = x_t.size(0)
    t_vec = (torch.ones(n, device=x_t.device) * t).long()
    next_t = (torch.ones(n, device=x_t.device) * t_prev).long()
    at = compute_alpha(noise_schedule, t_vec, x_t.dim())
    at_next = compute_alpha(noise_schedule, next_t, x_t.dim())
    et = eps_model(x_t, t_vec)
    x0_t = (x_t - et * (1 - at).sqrt()) / at.sqrt()
    c1 = eta * ((1 - at / at_next) * (1 - at_next) / (1 - at)).sqrt()
    c2 = ((1 - at_next) - c1 ** 2).clamp(min=0).sqrt()
    xt_next = at_next.sqrt() * x0_t + c2 * et
    if eta > 0:
        xt_next = xt_next + c1 * (torch.randn_like(x_t) if noise is None else noise)
    return xt_next
