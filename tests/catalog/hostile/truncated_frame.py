"""A frame length that runs past the end of the channel."""
# __FRAMES__: the test puts _frames.py here (pipes, frame, send)


send(b"\x00\x10\x00\x00{\"kind\": ")


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
