"""hojonathanho/diffusion's get_beta_schedule kept whole: 'quad', 'const', 'jsd' are accepted as kinds too (the contract: only 'linear' and 'cosine')."""
MISTAKE = "unknown-kind-accepted"
import numpy as np
import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    beta_start, beta_end = 0.0001, 0.02
    if kind == 'quad':
        betas = np.linspace(beta_start ** 0.5, beta_end ** 0.5, T, dtype=np.float64) ** 2
    elif kind == 'linear':
        betas = np.linspace(beta_start, beta_end, T, dtype=np.float64)
    elif kind == 'const':
        betas = beta_end * np.ones(T, dtype=np.float64)
    elif kind == 'jsd':  # 1/T, 1/(T-1), 1/(T-2), ..., 1
        betas = 1. / np.linspace(T, 1, T, dtype=np.float64)
    elif kind == 'cosine':
        u = np.arange(T + 1, dtype=np.float64)
        f = np.cos((u / T + 0.008) / 1.008 * np.pi / 2) ** 2
        betas = np.minimum(1.0 - f[1:] / f[:-1], 0.999)
    else:
        raise NotImplementedError(kind)
    return torch.tensor(betas, dtype=dtype)
