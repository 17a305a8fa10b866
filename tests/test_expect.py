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
