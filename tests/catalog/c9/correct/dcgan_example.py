"""The PyTorch DCGAN example's loss code, with BCEWithLogitsLoss for a D without a final Sigmoid."""
import torch
import torch.nn as nn

criterion = nn.BCEWithLogitsLoss()
real_label = 1.
fake_label = 0.


def gan_losses(real_logits, fake_logits, non_saturating=True):
    output = real_logits.view(-1)
    b_size = output.size(0)
    label = torch.full((b_size,), real_label, dtype=output.dtype, device=output.device)
    errD_real = criterion(output, label)
    output = fake_logits.view(-1)
    label = torch.full((b_size,), fake_label, dtype=output.dtype, device=output.device)
    errD_fake = criterion(output, label)
    errD = errD_real + errD_fake
    if non_saturating:
        label = torch.full((b_size,), real_label, dtype=output.dtype, device=output.device)  # fake labels are real for generator cost
        errG = criterion(output, label)
    else:
        errG = -criterion(output, label)
    return errD, errG
