"""Maths in `answer` and `practice` output reads as Unicode, not LaTeX source."""

import re

import pytest
from click.testing import CliRunner

from grader.bank.answers import check_answer
from grader.bank.console import show_key, show_problem, show_solution
from grader.bank.load import load_bank
from grader.bank.instance import instantiate, present, sample
from grader.cli import main
from grader.bank.terminal_math import key_text, to_terminal

DRAWS = 40
PRIVATE_USE = re.compile("[\ue000-\uf8ff]")
PRINTED_KEY = re.compile(r"(?:(?P<exact>.*) = )?(?P<approx>.*) \(accepted: (?P<lo>.*) to (?P<hi>.*)\)")


@pytest.mark.parametrize("latex, shown", [
    (r"$\tfrac12 \sigma^2$", "(1/2) σ^2"),
    (r"$\dfrac{a}{b}$", "a/b"),
    (r"$\mathrm{KL}(q \,\|\, p)$", "KL(q ‖ p)"),
    (r"$\sqrt{\bar\alpha_t}$", "√(α̅_t)"),
    (r"$256\times256$", "256 × 256"),
    (r"$\frac{1}{2} + \frac{1}{2 e}$", "1/2 + 1/(2 e)"),
    (r"$\frac{a+b}{c}$", "(a+b)/c"),
    # grouping that a flat line would lose
    (r"$(\Sigma_1\Sigma_2)^{1/2}$", "(Σ_1Σ_2)^(1/2)"),
    (r"$e^{-\frac{1}{4}} + e^{ 1.5 }$", "e^(-1/4) + e^1.5"),
    (r"$\bar\alpha_{t-1}$, $\sqrt{s_{1,i}s_{2,i}}$", "α̅_(t-1), √(s_(1,i)s_(2,i))"),
    (r"$-\tfrac12\log 2\pi - \log \frac{1}{2}$", "-(1/2) log 2π - log (1/2)"),
    (r"$\tfrac12\big[x\big] + \tfrac12\sum_j y_j$", "(1/2)[x] + (1/2)∑_j y_j"),
    (r"$\dfrac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1 - \bar\alpha_t}\,x_0$", "((√(α̅_(t-1)) β_t)/(1 - α̅_t)) x_0"),
    (r"$\exp\!\Big(\dfrac{(x - \mu)^2}{2v}\Big)$", "exp(((x - μ)^2)/(2v))"),
    # names keep their space; operators and relations are spaced
    (r"$\log p_x(x)$, $p_{data}\log D$, $3\log\alpha$", "log p_x(x), p_data log D, 3 log α"),
    (r"$\mu = -1$, $\Delta = \det A$, $\theta \ne 0$", "μ = -1, Δ = det A, θ ≠ 0"),
    (r"$a \le b \iff x \sim \mathcal N(0, 1)$", "a ≤ b ⟺ x ∼ 𝒩(0, 1)"),
    (r"$\left|\det \dfrac{\partial f}{\partial z}\right|$, $\dfrac{\partial}{\partial D}(-\log D)$",
     "|det (∂f/∂z)|, (∂/∂D)(-log D)"),
    (r"$q(z\mid x)$", "q(z|x)"),
    # a fraction inside a fraction keeps its grouping (log 6, not (log 3)/(1/2))
    (r"$\log\dfrac{ 3 }{ \frac{1}{2} }$", "log(3/(1/2))"),
    (r"$\dfrac{ -\frac{3}{2} + \frac{1}{2} }{\sqrt{ \frac{1}{4} }}$", "(-3/2 + 1/2)/√(1/4)"),
    (r"$\frac{\frac{1}{2}}{3}x$", "((1/2)/3) x"),
    (r"$\frac{1}{\frac{a}{\frac{b}{c}}}$", "1/(a/(b/c))"),
])
def test_maths_becomes_unicode(latex, shown):
    assert re.sub(r"\s+", " ", to_terminal(latex)) == shown


def test_prose_is_left_alone():
    assert to_terminal("22.4% of the signal, 50% of $x$") == "22.4% of the signal, 50% of x"


def test_no_latex_survives_anywhere_in_the_bank():
    for problem in load_bank().problems.values():
        variant = sample(problem, 1)
        for text in [variant.stem, variant.solution, *(o.text for o in variant.options)]:
            leftover = re.findall(r"\$|\\[A-Za-z|]+", to_terminal(text))
            assert not leftover, f"{problem.id}: {leftover} left in {to_terminal(text)!r}"


def test_answer_prints_readable_maths():
    output = CliRunner().invoke(main, ["answer", "vae-kl-diag", "0.68", "--seed", "3"]).output
    assert "μ" in output and "‖" in output and "$" not in output and "\\mathcal" not in output


def test_matrices_are_laid_out_by_rows():
    """"[ 3 - 1/2; - 1/2 3 ]" reads as 3 - 1/2: each row goes on its own line, columns aligned."""
    shown = to_terminal(r"$\Sigma = \begin{pmatrix} 3 & -\frac{1}{2} \\ -\frac{1}{2} & 3 \end{pmatrix}$.")
    assert shown == "Σ = \n    [    3  -1/2 ]\n    [ -1/2     3 ]."


@pytest.mark.parametrize("exact, shown", [
    ("log(7/2 - 3*tanh(x)**2)", "log(7/2 - 3 tanh^2(x))"),
    ("13 - 4*sqrt(2*sqrt(2) + 4)", "13 - 4 √(2 √(2) + 4)"),
    ("2*x/(2*x + 1)", "(2 x)/(2 x + 1)"),
    ("exp(s)/2 - 1/2", "(e^s)/2 - 1/2"),
])
def test_keys_print_as_maths_not_python(exact, shown):
    assert key_text(exact) == shown


# The trickiest bank texts, at fixed parameters, as the terminal shows them.
GOLDEN = [
    ("eval-fid-iso", {"a": "4", "sp": "3", "sq": "3", "sr": "-1/2", "c1": "0", "c2": "0", "d1": "0", "d2": "1"}, "stem",
     "Two feature distributions are 𝒩(μ_1, Σ_1) with μ_1 = (0, 0), Σ_1 = 4 I,\nand 𝒩(μ_2, Σ_2) with μ_2 = (0, 1),\n"
     "Σ_2 = \n    [    3  -1/2 ]\n    [ -1/2     3 ].\nCompute the Frechet distance "
     "‖μ_1 - μ_2‖^2 + tr(Σ_1 + Σ_2 - 2(Σ_1Σ_2)^(1/2)), to two decimals."),
    ("flow-lognormal-logp", {"a": "1/2", "b": "0", "x0": "2"}, "solution",
     "Invert layer by layer: y = log x = log 2, then z = (y - b)/a = 1.3863.\n"
     "Each layer subtracts its log-derivative: log p_x(x) = log 𝒩(z; 0, 1) - log a - log x\n"
     "= -(1/2) z^2 - (1/2) log(2π) - log (1/2) - log 2 = -1.8798 ≈ -1.88.\n(This is the log-normal density.)"),
    ("flow-affine-logp", {"a": "-2", "b": "0", "x0": "-2"}, "stem",
     "A one-dimensional flow maps z ∼ 𝒩(0, 1) to x = f(z) = a z + b with a = -2 and b = 0.\n"
     "Compute log p_x(x) at x = -2 (natural log), to two decimals."),
    ("eval-fid-diag", {"a1": "2", "a2": "-1", "b1": "-1", "b2": "-1", "v11": "4", "v12": "1", "v21": "9/4", "v22": "1/4"},
     "solution", "Mean term: ‖μ_1 - μ_2‖^2 = 9. For diagonal covariances (Σ_1Σ_2)^(1/2) is diagonal with entries\n"
     "√(s_(1,i)s_(2,i)), so the trace term is ∑_i(√(s_(1,i)) - √(s_(2,i)))^2 = 0.5.\nTotal: 9.5."),
    ("ddpm-snr-crossing", {"bb": "0.1"}, "solution",
     "SNR(t) ≤ 1 ⟺ α̅_t ≤ 1/2 ⟺ t log(1 - β) ≤ log(1/2) ⟺ t ≥ (log 2)/(-log(1 - 0.1)).\n"
     "The bound is not an integer, so the smallest such t is its ceiling: t = 7."),
    ("flow-logdet-expr", {"a": "1", "b": "3"}, "stem",
     "A scalar flow is f(x) = x + 3 tanh x, which is strictly increasing.\n"
     "Give log|f'(x)|, the term it contributes to a change of variables, as a formula in x."),
    ("ddpm-posterior-mean", {"bt": "1/5", "ap": "4/5", "x0": "-1/2", "xt": "3/2"}, "solution",
     "α_t = 0.8 and α̅_t = 0.64. The posterior mean is\n"
     "μ̃_t = ((√(α̅_(t-1)) β_t)/(1 - α̅_t)) x_0 + (√(α_t) (1 - α̅_(t-1))/(1 - α̅_t)) x_t,\n"
     "with coefficients 0.4969 on x_0 and 0.4969 on x_t:\nμ̃_t = -0.4969 · 1/2 + 0.4969 · 3/2 = 0.4969 ≈ 0.50."),
    ("wgan-disjoint-supports", {}, "solution",
     "For θ ≠ 0 the mixture M = (1/2)(P + Q_θ) puts 1/2 on each point, so\n"
     "KL(P‖M) = KL(Q_θ‖M) = log 2 and JSD = log 2, a constant with zero derivative.\n"
     "The only coupling moves the unit mass a distance |θ|, so W_1 = |θ|, which is continuous in θ and\n"
     "gives a useful gradient. KL(P‖Q_θ) is infinite. This is the motivating example for the WGAN."),
]


@pytest.mark.parametrize("problem_id, params, field, shown", GOLDEN, ids=[f"{g[0]}-{g[2]}" for g in GOLDEN])
def test_golden_bank_texts(problem_id, params, field, shown):
    variant = instantiate(load_bank().problems[problem_id], params, 0)
    assert to_terminal(getattr(variant, field)) == shown


@pytest.mark.parametrize("problem_id", sorted(load_bank().problems))
def test_every_draw_prints_clean_unicode_and_a_key_that_answers_back(problem_id):
    """What `show --solution` prints on 40 draws: no private-use character, and every form of the key
    it prints (exact, decimal, both ends of the range), pasted into `answer`, is accepted."""
    problem = load_bank().problems[problem_id]
    for seed in range(1 if problem.fixed else DRAWS):
        variant = present(problem, seed)
        printed = f"{show_problem(variant)}\n{show_solution(variant)}"
        assert not PRIVATE_USE.search(printed), f"seed {seed}: {printed!r}"
        key = show_key(variant)
        match = PRINTED_KEY.fullmatch(key)
        pasted = [part for part in match.groups() if part] if variant.type == "nat" else [key]
        for text in pasted:
            assert check_answer(variant, text).correct, f"seed {seed}: {text!r} of the printed key {key!r}"


def test_a_pasted_key_is_read_as_maths():
    """The terminal's signs (√, π, ·, ×, tanh^2(x), 10^(-5)) read back as the key they print."""
    for problem_id, seed, text in [("vae-kl-two-gauss", 1, "log(3/(1/2)) + ((1/2)^2)/(2 · 3^2) - 1/2"),
                                   ("flow-logdet-expr", 0, key_text(present(load_bank().problems["flow-logdet-expr"],
                                                                            0).answer_exact))]:
        variant = present(load_bank().problems[problem_id], seed)
        assert check_answer(variant, text).correct, text
    assert "× 10^(-5)" in show_key(sample(load_bank().problems["we3c"], None))
    assert "tanh^2(x)" in key_text("log(4 - 2*tanh(x)**2)")
    result = CliRunner().invoke(main, ["answer", "vae-kl-two-gauss", "log(3/(1/2)) + ((1/2)^2)/(2 · 3^2) - 1/2",
                                       "--seed", "1"])
    assert result.exit_code == 0, result.output
