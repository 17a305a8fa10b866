"""Error frames with missing or mistyped keys."""
# __FRAMES__: the test puts _frames.py here (pipes, frame, send)


send(frame({"kind": "probe", "name": "flat", "error": {"type": 3}}) + frame({"kind": "import_error", "error": {}}))


def vae_kl_loss(mu, log_var):
    return (mu * 0).sum()
