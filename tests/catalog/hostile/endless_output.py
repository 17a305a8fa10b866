"""Prints without end inside the function: bounded output, bounded time."""
import sys


def vae_kl_loss(mu, log_var):
    line = "spam " * 200 + "\n"
    while True:
        sys.stdout.write(line)
