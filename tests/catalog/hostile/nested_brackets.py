"""A header of 100,000 nested brackets."""
# __FRAMES__: the test puts _frames.py here (pipes, frame, send)


send(frame(b"[" * 100000 + b"]" * 100000))


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
