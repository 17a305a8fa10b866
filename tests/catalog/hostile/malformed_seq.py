"""A "__seq__" node without "items"."""
# __FRAMES__: the test puts _frames.py here (pipes, frame, send)


send(frame({"kind": "probe", "name": "flat", "outputs": {"__seq__": "list"}}))


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
