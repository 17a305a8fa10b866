"""Exits from inside the function: SystemExit, then os._exit, on alternate calls."""
import os
import sys

calls = []


def vae_kl_loss(mu, log_var):
    calls.append(1)
    if len(calls) == 2:
        raise SystemExit(0)
    if len(calls) == 4:
        os._exit(0)
    if len(calls) == 3:
        raise KeyboardInterrupt
    return (mu * 0).sum()
