"""The diagnoses every suite builds on (grader.check.expect, grader.check.judge, the plugin's
scoring): a mistake is named only when the evidence singles it out, a result's type, shape,
dtype and device are each checked, and nothing but a pass earns points."""

from types import SimpleNamespace

import pytest
import torch

from grader.check import expect, judge, plugin
from grader.check.expect import Mistake, NotJudged, StudentRaised
from grader.check.runner import Observations
from grader.check.wire import TensorValue

F64 = torch.float64


def value(data, device="cpu", requires_grad=False):
    return TensorValue(data, str(data.dtype)[6:], tuple(data.shape), device, requires_grad)


# --- explained_by: a name only when one mistake explains every wrong case --------------------

RIGHT, HALF, DOUBLE = torch.tensor(1.0, dtype=F64), torch.tensor(0.5, dtype=F64), torch.tensor(2.0, dtype=F64)


def test_one_matching_mistake_is_named():
    assert expect.explained_by([(DOUBLE, {"missing-half": DOUBLE, "sign-error": -RIGHT})]) == "missing-half"


def test_several_matching_mistakes_name_none():
    assert expect.explained_by([(DOUBLE, {"missing-half": DOUBLE, "sum-over-batch": DOUBLE.clone()})]) is None


def test_a_second_case_singles_one_out():
    cases = [(DOUBLE, {"missing-half": DOUBLE, "sum-over-batch": DOUBLE}),
             (4 * RIGHT, {"missing-half": 4 * RIGHT, "sum-over-batch": 8 * RIGHT})]
    assert expect.explained_by(cases) == "missing-half"


def test_a_mistake_must_explain_every_wrong_case():
    cases = [(DOUBLE, {"missing-half": DOUBLE}), (3 * RIGHT, {"missing-half": 4 * RIGHT})]
    assert expect.explained_by(cases) is None


def test_a_mistake_written_two_ways_explains_either():
    cases = [(HALF, {"one-based-t": (HALF, DOUBLE)}), (DOUBLE, {"one-based-t": (HALF, DOUBLE)})]
    assert expect.explained_by(cases) == "one-based-t"
    assert expect.explained_by([]) is None


# --- tensor: type, shape, dtype, values ------------------------------------------------------

def test_tensor_checks_its_shape_and_its_dtype():
    got = value(torch.zeros(3, 2, dtype=F64))
    assert expect.tensor(got, "z", shape=(3, 2), dtype="float64") is got.data
    with pytest.raises(Mistake, match=r"shape \(3, 2\), expected \(2, 3\)"):
        expect.tensor(got, "z", shape=(2, 3), dtype="float64")
    with pytest.raises(Mistake, match="dtype float64, expected float32"):
        expect.tensor(got, "z", shape=(3, 2), dtype="float32")
    with pytest.raises(Mistake, match="should be a tensor"):
        expect.tensor([1.0, 2.0], "z")
    with pytest.raises(Mistake, match="carries no values"):
        expect.tensor(TensorValue(None, "float64", (2,), "meta", False), "z")


# --- device_verdict: a CPU result or a CPU tensor mixed in is reported ------------------------

def test_a_result_on_the_device_passes():
    assert expect.device_verdict({"result": value(torch.ones(2), "meta"), "violations": []}, "z") is None


@pytest.mark.parametrize("result", [value(torch.ones(2)), (value(torch.ones(2), "meta"), value(torch.ones(2)))])
def test_a_result_on_the_cpu_fails(result):
    with pytest.raises(Mistake) as failed:
        expect.device_verdict({"result": result, "violations": []}, "z")
    assert failed.value.id == "hard-coded-device" and "['cpu']" in failed.value.message


def test_a_cpu_tensor_mixed_in_fails_with_the_line():
    observed = {"result": value(torch.ones(2), "meta"), "violations": ["mul (line 3: z = mu * torch.ones(2))"]}
    with pytest.raises(Mistake, match="line 3") as failed:
        expect.device_verdict(observed, "z")
    assert failed.value.id == "hard-coded-device"


def test_no_tensor_and_the_spys_own_failure_are_not_judged():
    with pytest.raises(NotJudged):
        expect.device_verdict({"result": None, "violations": []}, "z")
    with pytest.raises(NotJudged, match="bug in gengrade"):
        expect.device_verdict({"result": value(torch.ones(2)), "violations": [], "internal": ["x: boom"]}, "z")


# --- not started: only the student's own NotImplementedError ----------------------------------

def probe_error(raised_by_student: bool) -> Observations:
    error = {"type": "NotImplementedError", "message": "c1: implement reparameterize", "frames": [],
             "raised_by_student": raised_by_student}
    return Observations(probes={"sample": {"error": error}})


def test_the_stubs_own_not_implemented_reads_not_started():
    with pytest.raises(judge.NotStarted):
        judge.probe_outputs(probe_error(True), "sample", "")


def test_a_librarys_not_implemented_is_an_error_of_the_code():
    with pytest.raises(StudentRaised) as raised:
        judge.probe_outputs(probe_error(False), "sample", "")
    assert judge.classify(raised.value, "reparameterize.py")[0] == "error"


# --- scoring: only a pass earns points --------------------------------------------------------

def result_of(excinfo):
    item = SimpleNamespace(get_closest_marker=lambda name: SimpleNamespace(args=(3,)) if name == "points" else None,
                           obj=SimpleNamespace(__doc__="the value"), name="test_value")
    return plugin.result_of(item, SimpleNamespace(excinfo=excinfo), "kl_loss.py")


def test_a_skipped_check_scores_nothing():
    with pytest.raises(pytest.skip.Exception) as skipped:
        pytest.skip("no reason")
    result = result_of(skipped)
    assert (result.outcome, result.points, result.max_points) == ("not-run", 0, 3)


def test_a_passed_check_scores_its_points_and_a_failed_one_none():
    assert result_of(None).points == 3
    with pytest.raises(Mistake) as failed:
        expect.mistake("missing-half", "got 2, expected 1")
    result = result_of(failed)
    assert (result.outcome, result.points, result.misconception) == ("fail", 0, "missing-half")


# --- the vocabulary's exact words and edges (pinned for mutation testing) ---------------------

def test_close_compares_in_float64_with_its_tolerances():
    one = torch.ones(3, dtype=F64)
    assert expect.close(one.float(), one) and expect.close(one, one.float())
    assert expect.close(one + 5e-6, one) and not expect.close(one + 2e-5, one)
    assert expect.close(torch.zeros(3) + 5e-8, torch.zeros(3)) and not expect.close(torch.zeros(3) + 1e-6, torch.zeros(3))
    assert expect.close(one * 1.5, one, rtol=0.6) and not expect.close(one * 1.5, one, rtol=0.4, atol=0)
    assert expect.close(one + 0.5, one, rtol=0, atol=0.6) and not expect.close(one + 0.5, one, rtol=0, atol=0.4)
    nan = torch.tensor([float("nan")])
    assert not expect.close(nan, nan) and not expect.close(one[:2], one)
    assert expect.close(torch.tensor([1 + 2 ** -30], dtype=F64), torch.tensor([1.0], dtype=F64), rtol=0, atol=0) is False


def test_reading_edges():
    assert expect.reading([1.0, 2.0], (2,)).dtype == F64
    assert expect.reading([torch.ones(2, dtype=torch.float32)] * 3, (3, 2)) is None  # plain tensors are not TensorValues
    assert expect.reading([value(torch.ones(2, dtype=torch.float32))] * 3, (3, 2)).dtype == F64
    assert expect.reading([1.0], ()) is None and expect.reading([], (0,)) is None
    assert expect.reading(2.5, ()).dtype == F64 and expect.reading(2.5, (1, 1)).item() == 2.5
    assert expect.reading(2.5, (2,)) is None and expect.reading(True, ()) is None
    assert expect.reading([1.0, 2.0, 3.0], (2,)) is None
    assert expect.reading(value(torch.ones(2, 1)), (2,)).shape == (2,)
    assert expect.reading(value(torch.tensor([True])), (1,)) is None
    assert expect.reading(TensorValue(None, "float32", (2,), "meta", False), (2,)) is None


def test_judgeable_reads_or_says_why_not():
    assert expect.judgeable(value(torch.ones(3, 1)), "z", shape=(3,)).dtype == F64
    assert expect.judgeable(value(torch.ones(3)), "z", numel=3).shape == (3,)
    with pytest.raises(NotJudged, match="^your function returned a list of 1 items; this is judged once it returns z$"):
        expect.judgeable([1], "z", shape=(3,))
    with pytest.raises(NotJudged, match="a float32 tensor of shape"):
        expect.judgeable(value(torch.ones(3)), "z", numel=4)
    with pytest.raises(NotJudged):
        expect.judgeable(None, "z")


def test_kind_of_in_a_few_words():
    assert expect.kind_of(None) == "None"
    assert expect.kind_of(value(torch.ones(2, 3))) == "a float32 tensor of shape (2, 3)"
    assert expect.kind_of(TensorValue(None, "float64", (2,), "numpy", False)) == "a float64 numpy array of shape (2,)"
    assert expect.kind_of([1, 2]) == "a list of 2 items" and expect.kind_of((1,)) == "a tuple of 1 items"
    assert expect.kind_of(2.5) == "float 2.5" and expect.kind_of(2.5, values=False) == "a Python float"
    assert expect.kind_of("x" * 200) == ("str '" + "x" * 200)[:80]
    from grader.check.wire import ObjectValue

    thing = ObjectValue("Generator", "<torch._C.Generator object>" + "x" * 80)
    assert expect.kind_of(thing) == "a Generator (" + thing.repr[:60] + ")"
    assert expect.kind_of(thing, values=False) == "a Generator"


def test_tensor_messages():
    with pytest.raises(Mistake) as failed:
        expect.tensor([1.0], "z")
    assert failed.value.message == "z should be a tensor, but your function returned a list of 1 items"
    with pytest.raises(Mistake) as failed:
        expect.tensor(value(torch.ones(2, dtype=F64)), "z", dtype="float32")
    assert failed.value.message.endswith("create new tensors with the inputs' dtype (dtype=x.dtype, "
                                         "torch.zeros_like(x), x.new_tensor(...))") and failed.value.id is None


def test_returned_and_student_raised():
    error = {"type": "ValueError", "message": "bad", "frames": []}
    with pytest.raises(StudentRaised) as raised:
        expect.returned({"error": error})
    assert raised.value.error is error and str(raised.value) == "bad"
    assert StudentRaised({}).error == {} and str(StudentRaised({})) == ""
    assert expect.returned({"result": 3}) == 3 and expect.returned({}) is None


def test_preview_gap_and_differ_words():
    t = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], dtype=F64)
    assert expect.preview(t) == "[1, 2, 3, 4, ...]" and expect.preview(t[:4]) == "[1, 2, 3, 4]"
    assert expect.preview(t, 2) == "[1, 2, ...]" and expect.preview(torch.tensor([1 / 3])) == "[0.3333]"
    assert expect.gap(t * 1.01, t) == "largest absolute error 0.05, largest relative error 0.01"
    assert expect.gap(torch.ones(1), torch.zeros(1)) == "largest absolute error 1, largest relative error 1e+300"
    assert expect.differ(t * 2, t) == "got [2, 4, 6, 8, ...], expected [1, 2, 3, 4, ...]"
    assert expect.differ(t * (1 + 1e-5), t).startswith("close but not within the tolerance: largest absolute error 5e-05")
    assert expect.differ(t * 1.002, t).startswith("got")  # 0.2 % apart: visibly different
    assert expect.differ(t[:2] * (1 + 1e-9), t[:3]).startswith("got")


def test_expect_close_names_the_first_match_or_nothing():
    expect.expect_close(torch.ones(2), torch.ones(2), "z")
    with pytest.raises(Mistake) as failed:
        expect.expect_close(2 * torch.ones(2), torch.ones(2), "z", mistakes={"double": 2 * torch.ones(2)})
    assert failed.value.id == "double" and failed.value.message == "z: got [2, 2], expected [1, 1]"
    with pytest.raises(Mistake) as failed:
        expect.expect_close(3 * torch.ones(2), torch.ones(2), "z", mistakes={"double": 2 * torch.ones(2)})
    assert failed.value.id is None
    with pytest.raises(Mistake):
        expect.expect_close(torch.ones(2) + 2e-5, torch.ones(2), "z", rtol=1e-5, atol=0)
    expect.expect_close(torch.ones(2) + 2e-5, torch.ones(2), "z", rtol=1e-4, atol=0)
    assert expect.first_match(torch.ones(2) * (1 + 5e-5), {"a": 3 * torch.ones(2), "b": torch.ones(2)}) == "b"
    assert expect.first_match(torch.ones(2) * (1 + 5e-4), {"b": torch.ones(2)}) is None
    assert expect.first_match(torch.ones(2) * (1 + 5e-4), {"b": torch.ones(2)}, rtol=1e-3) == "b"
    assert expect.first_match(torch.zeros(2) + 5e-7, {"b": torch.zeros(2)}) == "b"
    assert expect.first_match(torch.zeros(2) + 5e-6, {"b": torch.zeros(2)}) is None


def test_unchanged_is_exact():
    before = torch.tensor([1.0, 2.0], dtype=F64)
    expect.unchanged(before, value(before.clone()), "mu")
    expect.unchanged(before, value(before.float()), "mu")  # sent in another dtype, same values
    for after in (value(before + 1e-12), [1.0, 2.0], TensorValue(None, "float64", (2,), "meta", False)):
        with pytest.raises(Mistake) as failed:
            expect.unchanged(before, after, "mu")
        assert failed.value.id == "modifies-input" and failed.value.message.startswith(
            "your function changed its input `mu` in place: compute new tensors (x = x + y, not x += y or x.add_(y))")


def test_device_verdict_words():
    with pytest.raises(Mistake) as failed:
        expect.device_verdict({"result": value(torch.ones(2), "meta"), "violations": ["mul (line 3)"]}, "z")
    assert failed.value.message == ("z combines the inputs with a tensor created on the CPU (mul (line 3)): pass "
                                    "device=x.device (or use torch.randn_like / x.new_zeros / .to(x)) when you create tensors")
    with pytest.raises(Mistake) as failed:
        expect.device_verdict({"error": {"message": "Expected all tensors to be on the same device"}}, "z")
    assert failed.value.id == "hard-coded-device" and "CPU: pass" in failed.value.message
    with pytest.raises(Mistake) as failed:
        expect.device_verdict({"result": value(torch.ones(2), "cuda:0"), "violations": []}, "z")
    assert failed.value.message == "the inputs live on another device but z is on ['cuda']: create tensors on the inputs' device"
    with pytest.raises(NotJudged, match=r"^the device check itself failed on your code; this is a bug in gengrade, "
                                        r"please report it \(x: boom\)$"):
        expect.device_verdict({"internal": ["x: boom", "y"]}, "z")
    with pytest.raises(NotJudged, match="^your function returned a Python float, not a tensor$"):
        expect.device_verdict({"result": 2.0}, "z")
    with pytest.raises(StudentRaised):
        expect.device_verdict({"error": {"message": "boom"}}, "z")
    assert expect.device_verdict({"result": [value(torch.ones(1), "meta")]}, "z") is None


def test_explained_by_uses_its_tolerances():
    got = torch.tensor(2.0, dtype=F64) * (1 + 5e-5)
    assert expect.explained_by([(got, {"double": DOUBLE})]) == "double"
    assert expect.explained_by([(got, {"double": DOUBLE})], rtol=1e-6, atol=0) is None
    assert expect.explained_by([(torch.tensor(5e-7), {"zero": torch.tensor(0.0)})]) == "zero"
    assert expect.explained_by([(torch.tensor(5e-7), {"zero": torch.tensor(0.0)})], atol=1e-8) is None


def test_explained_by_takes_one_atol_per_case():
    """Cases of different scales each match to their own tolerance: one loose case cannot carry a
    mistake that a tight case rules out."""
    cases = [(torch.tensor(100.5, dtype=F64), {"m": torch.tensor(100.0, dtype=F64)}),
             (torch.tensor(1.001, dtype=F64), {"m": torch.tensor(1.0, dtype=F64)})]
    assert expect.explained_by(cases, rtol=0, atol=[1.0, 1e-2]) == "m"
    assert expect.explained_by(cases, rtol=0, atol=[1.0, 1e-6]) is None
    with pytest.raises(ValueError):
        expect.explained_by(cases, atol=[1.0])


# --- mistaken_gradients: gradients of the wrong formulas whose value matches the student's -----

def test_mistaken_gradients_keep_only_formulas_whose_value_matches():
    x = torch.tensor([2.0, -2.0, 2.0], dtype=F64, requires_grad=True)
    y = torch.tensor([0.5, 0.5, 0.5], dtype=F64, requires_grad=True)
    formulas = {"squared": (x**2).sum(), "doubled": (2 * x.abs()).sum(),  # both 12: the value cannot tell them apart
                "plus-y": (x**2).sum() + y.sum(), "two-ways": ((x**2).sum() * 1.0, x.abs().sum() * 2 + 0 * y.sum())}
    out = expect.mistaken_gradients(formulas, [x, y], torch.tensor(12.0, dtype=F64))
    assert set(out) == {"squared", "doubled", "two-ways"}  # plus-y is 13.5
    assert torch.equal(out["squared"][0][0], torch.tensor([4.0, -4.0, 4.0], dtype=F64))
    assert torch.equal(out["squared"][1][0], torch.zeros(3, dtype=F64))  # y unused: zeros, not None
    assert torch.equal(out["doubled"][0][0], torch.tensor([2.0, -2.0, 2.0], dtype=F64))
    assert len(out["two-ways"][0]) == 2  # one gradient per matching variant
    student = torch.tensor([2.0, -2.0, 2.0], dtype=F64)  # the gradients single out one formula
    assert expect.explained_by([(student, {k: v[0] for k, v in out.items()})], rtol=1e-4, atol=1e-9) is None
    assert expect.explained_by([(student, {k: v[0] for k, v in out.items() if k != "two-ways"})]) == "doubled"


def test_finite_reads_every_overflow_alike():
    got = expect.finite(torch.tensor([float("nan"), float("inf"), -float("inf"), 1.0], dtype=torch.float32))
    assert got.dtype == F64 and got.tolist() == [expect.NON_FINITE] * 3 + [1.0]
