"""The CPU stand-in for 'inputs on another device': valid idioms pass, CPU tensors are caught."""

import pytest
import torch
from torch.distributions import Normal

from grader.sandbox.device_spy import run_on_device

VALID = {
    "randn_like": lambda mu, lv: mu + torch.exp(0.5 * lv) * torch.randn_like(mu),
    "device=mu.device": lambda mu, lv: mu + torch.randn(mu.shape, device=mu.device, dtype=mu.dtype),
    "torch.normal(mu, std)": lambda mu, lv: torch.normal(mu, torch.exp(0.5 * lv)),
    "Normal.rsample": lambda mu, lv: Normal(mu, torch.exp(0.5 * lv)).rsample(),
    "new_empty().normal_()": lambda mu, lv: mu + mu.new_empty(mu.shape).normal_(),
    ".to(mu)": lambda mu, lv: mu + torch.randn(mu.shape).to(mu),
    ".to(mu.device)": lambda mu, lv: mu + torch.randn(mu.shape).to(mu.device),
    "0-dim CPU tensor": lambda mu, lv: mu * torch.tensor(2.0),
    ".item()": lambda mu, lv: mu * mu.sum().item(),
    "CPU index tensor": lambda mu, lv: mu[torch.tensor([0, 2])],
    "legacy Variable": lambda mu, lv: torch.autograd.Variable(mu, requires_grad=True) * 2,
}
CPU = {
    "randn without device": lambda mu, lv: mu + torch.exp(0.5 * lv) * torch.randn(mu.shape),
    "linspace without device": lambda mu, lv: mu * torch.linspace(0, 1, mu.shape[-1]),
    "returns a CPU tensor": lambda mu, lv: torch.zeros(mu.shape),
    ".cpu()": lambda mu, lv: mu.cpu() * 2,
    ".to('cpu')": lambda mu, lv: mu.to("cpu") * 2,
}


def observe(fn):
    return run_on_device(lambda move: fn(move(torch.randn(4, 3)), move(torch.zeros(4, 3))))


@pytest.mark.parametrize("fn", VALID.values(), ids=VALID.keys())
def test_valid_idioms_stay_on_the_device(fn):
    observed = observe(fn)
    assert not observed.get("error") and observed["violations"] == []
    assert observed["result"].device == torch.device("meta")


@pytest.mark.parametrize("fn", CPU.values(), ids=CPU.keys())
def test_cpu_tensors_are_caught(fn):
    observed = observe(fn)
    assert observed["violations"] or observed["result"].device.type == "cpu"
