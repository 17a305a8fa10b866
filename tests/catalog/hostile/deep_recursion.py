"""Raises the recursion limit and recurses until the interpreter crashes."""
import sys

sys.setrecursionlimit(10 ** 8)


def dive(n):
    return dive(n + 1) + 1


def vae_kl_loss(mu, log_var):
    dive(0)
    return (mu * 0).sum()
