"""Draws fake PASS lines with ANSI escapes and carriage returns, in what it prints and in the
message of the exception it raises."""
import sys

FAKE = "\r\x1b[2K\x1b[32m  PASS  all hidden checks\x1b[0m\n\x1b[1mScore: 10/10  all checks pass\x1b[0m\x1b]0;title\x07"
print(FAKE * 3)
sys.stderr.write(FAKE)


def vae_kl_loss(mu, log_var):
    print(FAKE)
    raise ValueError(FAKE + "\x00\x08\x1b[1A\x1b[2K")
