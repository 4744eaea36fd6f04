"""What a band means, checked over random problem sets (DESIGN §4, data/scoring.yaml).

One problem alone is in its severity's band; more problems of the worst severity may lift a
subject one band, never two; problems of a lower severity stay inside the worst one's band;
removing any problem lowers the score; a group is never better than its worst member.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from vendorrisk.scoring.aggregate import aggregate
from vendorrisk.scoring.combine import Problem, level_of, resolve
from vendorrisk.scoring.factors import Tally, counted_part
from vendorrisk.scoring.weights import load_weights
from vendorrisk.vocab import Severity

BANDS = (25.0, 50.0, 75.0)
WEIGHTS = load_weights()
SEVERITIES = [Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL]


@st.composite
def problem(draw: st.DrawFn, levels: tuple[int, ...] = (0, 1, 2, 3)) -> Problem:
    """A problem anywhere inside the band of one of ``levels``."""
    level = draw(st.sampled_from(levels))
    low, high = (0.5, *BANDS)[level], (*BANDS, 99.0)[level]
    return Problem(draw(st.floats(low, high - 0.01)), level)


problems = st.lists(problem(), min_size=1, max_size=30)


def value(ps: list[Problem]) -> float:
    return resolve(ps, BANDS, WEIGHTS.lift).value


@settings(max_examples=300)
@given(problem())
def test_one_problem_alone_is_in_its_own_band(p: Problem) -> None:
    r = resolve([p], BANDS)
    assert r.value == p.points
    assert level_of(r.shown, BANDS) == p.level


@settings(max_examples=300)
@given(st.sampled_from([0, 1, 2]), st.data())
def test_problems_of_one_severity_never_reach_two_bands_up(level: int, data: st.DataObject
                                                            ) -> None:
    ps = data.draw(st.lists(problem((level,)), min_size=1, max_size=200))
    r = resolve(ps, BANDS, WEIGHTS.lift)
    assert level_of(r.shown, BANDS) <= level + 1


@settings(max_examples=300)
@given(st.sampled_from([1, 2, 3]), st.data())
def test_lower_problems_stay_inside_the_worst_ones_band(level: int, data: st.DataObject) -> None:
    worst = data.draw(problem((level,)))
    lower = data.draw(st.lists(problem(tuple(range(level))), max_size=200))
    r = resolve([worst, *lower], BANDS, WEIGHTS.lift)
    assert level_of(r.shown, BANDS) == level


def test_many_mediums_stay_below_critical_and_several_highs_can_be_critical() -> None:
    medium = Problem(WEIGHTS.points_of(Severity.MEDIUM), 1)
    high = Problem(WEIGHTS.points_of(Severity.HIGH), 2)
    assert WEIGHTS.band(resolve([medium] * 1000, BANDS, WEIGHTS.lift).shown) == "high"
    assert WEIGHTS.band(resolve([medium], BANDS).shown) == "medium"
    assert WEIGHTS.band(resolve([high, *[medium] * 1000], BANDS, WEIGHTS.lift).shown) == "high"
    assert WEIGHTS.band(resolve([high] * 3, BANDS, WEIGHTS.lift).shown) == "high"
    assert WEIGHTS.band(resolve([high] * 4, BANDS, WEIGHTS.lift).shown) == "critical"


@settings(max_examples=400)
@given(problems, st.data())
def test_removing_any_problem_lowers_the_score(ps: list[Problem], data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(ps) - 1))
    assert value(ps[:i] + ps[i + 1:]) < value(ps)


@settings(max_examples=400)
@given(problems)
def test_fixing_the_worst_problem_lowers_the_score(ps: list[Problem]) -> None:
    worst = max(range(len(ps)), key=lambda i: (ps[i].level, ps[i].points))
    assert value(ps[:worst] + ps[worst + 1:]) < value(ps)


@settings(max_examples=300)
@given(problems)
def test_shares_add_up_to_the_score_and_none_is_negative(ps: list[Problem]) -> None:
    r = resolve(ps, BANDS, WEIGHTS.lift)
    assert all(s >= 0 for s in r.shares)
    assert abs(sum(r.shares) - r.value) < 1e-6
    assert 0 <= r.value < 100


member_severities = st.lists(st.sampled_from(SEVERITIES), min_size=0, max_size=6)


def member(severities: list[Severity]) -> Tally:
    t = Tally()
    spec = WEIGHTS.factors["compliance.open_findings"]
    t.add(counted_part(spec, "domain:x", [WEIGHTS.points_of(s) for s in severities], {}))
    return t


@settings(max_examples=200)
@given(st.lists(member_severities, min_size=1, max_size=40))
def test_a_group_is_never_better_than_its_worst_member(members: list[list[Severity]]) -> None:
    tallies = [member(m) for m in members]
    group = aggregate(tallies, WEIGHTS).resolve(WEIGHTS)
    worst = max(t.resolve(WEIGHTS).value for t in tallies)
    assert group.value >= worst - 1e-9


@settings(max_examples=200)
@given(st.integers(1, 300))
def test_a_group_whose_members_each_have_one_medium_problem_is_medium(n: int) -> None:
    group = aggregate([member([Severity.MEDIUM]) for _ in range(n)], WEIGHTS).resolve(WEIGHTS)
    assert WEIGHTS.band(group.shown) == "medium"
