"""The CPU stand-in for 'inputs on another device': valid idioms pass, CPU tensors are caught."""

import numpy as np
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
    "numpy noise moved to the device": lambda mu, lv: mu + torch.as_tensor(
        np.random.standard_normal(tuple(mu.shape)), dtype=mu.dtype, device=mu.device),
    "numpy schedule moved to the device": lambda mu, lv: mu * torch.tensor(
        np.cumprod(1 - np.linspace(0.1, 0.2, mu.shape[-1])), dtype=mu.dtype, device=mu.device),
    "a list on the device": lambda mu, lv: mu * torch.tensor([1.0, 2.0, 3.0], device=mu.device),
    "numpy scalar": lambda mu, lv: mu * np.float64(2.0),
    "torch.vmap per sample": lambda mu, lv: torch.vmap(
        lambda m, l: m + torch.exp(0.5 * l) * torch.randn_like(m), randomness="different")(mu, lv),
    "torch.func.grad": lambda mu, lv: torch.func.grad(lambda m: (m ** 2).sum())(mu),
    "vmap of grad": lambda mu, lv: torch.func.vmap(torch.func.grad(lambda m: (m ** 2).sum()))(mu),
    "vmap of a module": lambda mu, lv: torch.vmap(torch.nn.Linear(3, 2).to(mu.dtype))(mu),
    # the idioms of widely copied VAE code (1Konny/Beta-VAE, the 2017 PyTorch example, GenMo)
    ".data.new(size).normal_()": lambda mu, lv: mu + lv.data.new(lv.size()).normal_(),
    "Variable(.data.new(size).normal_())": lambda mu, lv: mu + torch.autograd.Variable(
        lv.data.new(lv.size()).normal_()),
    "FloatTensor(size).normal_() moved": lambda mu, lv: mu + torch.FloatTensor(mu.size()).normal_().to(mu.device),
    "new_empty(size)": lambda mu, lv: mu + mu.new_empty(mu.size()).normal_(),
    "new_zeros(*size)": lambda mu, lv: mu + mu.new_zeros(*mu.size()),
    "a named tuple kept": lambda mu, lv: mu - mu.max(dim=0).values,
}
MIXING = {  # a CPU tensor meets the inputs: a GPU would raise "expected all tensors on the same device"
    "randn without device": lambda mu, lv: mu + torch.exp(0.5 * lv) * torch.randn(mu.shape),
    "linspace without device": lambda mu, lv: mu * torch.linspace(0, 1, mu.shape[-1]),
    "numpy noise left on the CPU": lambda mu, lv: mu + torch.as_tensor(np.random.standard_normal(tuple(mu.shape))),
}
LEAVING = {  # the result comes back on the CPU
    "returns a CPU tensor": lambda mu, lv: torch.zeros(mu.shape),
    ".cpu()": lambda mu, lv: mu.cpu() * 2,
    ".to('cpu')": lambda mu, lv: mu.to("cpu") * 2,
}


def observe(fn):
    return run_on_device(lambda move: fn(move(torch.randn(4, 3)), move(torch.zeros(4, 3))))


@pytest.mark.parametrize("fn", VALID.values(), ids=VALID.keys())
def test_valid_idioms_stay_on_the_device(fn):
    observed = observe(fn)
    assert not observed.get("error") and observed["violations"] == [] and observed["internal"] == []
    assert observed["result"].device == torch.device("meta")


@pytest.mark.parametrize("fn", MIXING.values(), ids=MIXING.keys())
def test_cpu_tensors_meeting_the_inputs_are_recorded_with_the_line(fn):
    observed = observe(fn)
    assert observed["violations"] and "test_device_spy" not in observed["violations"][0]
    assert observed["internal"] == []


@pytest.mark.parametrize("fn", LEAVING.values(), ids=LEAVING.keys())
def test_results_brought_back_to_the_cpu_are_seen(fn):
    observed = observe(fn)
    assert observed["result"].device.type == "cpu" and observed["violations"] == []


def test_the_spy_never_blames_the_student_for_its_own_failure(monkeypatch):
    from grader.sandbox import device_spy

    monkeypatch.setattr(device_spy, "_stray", lambda t, op: 1 / 0)
    observed = observe(VALID["randn_like"])
    assert not observed.get("error") and observed["internal"] and "ZeroDivisionError" in observed["internal"][0]


def test_the_transforms_swapped_in_while_the_spy_runs_are_put_back():
    originals = (torch.vmap, torch.func.vmap, torch.func.grad, torch.autograd.Variable)
    observe(VALID["vmap of grad"])
    assert (torch.vmap, torch.func.vmap, torch.func.grad, torch.autograd.Variable) == originals


@pytest.mark.parametrize("call, shape", [(lambda mu: mu.new(mu.size()), (4, 3)), (lambda mu: mu.data.new(mu.size()), (4, 3)),
                                         (lambda mu: mu.new_empty(mu.shape[1:]), (3,)),
                                         (lambda mu: mu.new(*mu.size()), (4, 3))])
def test_arguments_keep_their_types(call, shape):
    """A torch.Size stays a torch.Size: rebuilt as a tuple, new(size) would make a tensor of the sizes."""
    observed = observe(lambda mu, lv: call(mu))
    assert observed["result"].shape == shape and observed["result"].device == torch.device("meta")


def test_results_keep_their_types():
    assert observe(lambda mu, lv: mu.size())["result"] == torch.Size([4, 3])
    assert type(observe(lambda mu, lv: mu.size())["result"]) is torch.Size
    pair = observe(lambda mu, lv: mu.max(dim=1))["result"]
    assert type(pair).__name__ == "max" and pair.values.device == torch.device("meta")
