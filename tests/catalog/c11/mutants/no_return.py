MISTAKE = "no-return"
import torch


def make_beta_schedule(kind, T, dtype=torch.float64):
    if kind not in ("linear", "cosine"):
        raise ValueError("kind must be 'linear' or 'cosine'")
    betas = torch.linspace(1e-4, 0.02, T, dtype=dtype)  # forgot to return it
