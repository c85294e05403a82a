"""Paper generation invariants: every paper fits its blueprint, no duplicates, seeds reproduce."""

from decimal import Decimal

import pytest

from questions.engine.errors import BlueprintError
from questions.engine.generate import (
    Blueprint,
    PoolQuestion,
    Section,
    check_blueprint,
    derive_seed,
    fixed_paper,
    generate_paper,
    paper_matches_blueprint,
    shuffle_paper,
)

LAWS = ["刑事诉讼法", "治安管理处罚法", "行政强制法"]


def make_pool():
    pool = []
    qid = 1
    for law in LAWS:
        for qtype, keys in (("single", "ABCD"), ("multiple", "ABCDE"), ("judge", "TF")):
            for difficulty in range(1, 6):
                for n in range(4):
                    pool.append(
                        PoolQuestion(
                            id=qid,
                            qtype=qtype,
                            difficulty=difficulty,
                            law=law,
                            chapter=f"第{n % 2 + 1}章",
                            knowledge_points=frozenset({f"kp{n}"}),
                            option_keys=tuple(keys),
                            options_fixed=qtype == "judge",
                            active=not (n == 3 and difficulty == 5),
                        )
                    )
                    qid += 1
    return pool


POOL = make_pool()

BLUEPRINTS = {
    "single-only": Blueprint((Section("single", 10, Decimal("1"), label="单选"),)),
    "three-sections": Blueprint(
        (
            Section("single", 8, Decimal("1.5"), label="单选", law="刑事诉讼法"),
            Section("multiple", 5, Decimal("2"), label="多选", difficulty_min=2, difficulty_max=4),
            Section("judge", 6, Decimal("1"), label="判断", chapter="第1章"),
        )
    ),
    "knowledge-point": Blueprint(
        (
            Section(
                "single", 6, Decimal("2"), knowledge_point="kp0", difficulty_min=1, difficulty_max=5
            ),
        )
    ),
    "overlapping-sections": Blueprint(
        (
            Section("single", 15, Decimal("1"), law="刑事诉讼法"),
            Section(
                "single", 4, Decimal("1"), law="刑事诉讼法", difficulty_min=1, difficulty_max=5
            ),
        )
    ),
}


@pytest.mark.parametrize("name", sorted(BLUEPRINTS))
@pytest.mark.parametrize("seed", [0, 1, "exam-7", derive_seed("exam", 42, 1)])
def test_paper_fits_blueprint(name, seed):
    blueprint = BLUEPRINTS[name]
    paper = generate_paper(blueprint, POOL, seed=seed)
    assert paper_matches_blueprint(paper, blueprint, POOL) == []
    assert len(paper.items) == blueprint.question_count
    assert len(set(paper.question_ids)) == len(paper.question_ids)
    assert paper.total_points == blueprint.total_points


@pytest.mark.parametrize("name", sorted(BLUEPRINTS))
def test_same_seed_same_paper(name):
    a = generate_paper(BLUEPRINTS[name], POOL, seed="s1")
    b = generate_paper(BLUEPRINTS[name], list(reversed(POOL)), seed="s1")
    assert a == b


def test_different_seeds_give_different_papers():
    papers = {
        generate_paper(BLUEPRINTS["single-only"], POOL, seed=s).question_ids for s in range(20)
    }
    assert len(papers) > 15


def test_inactive_questions_never_drawn():
    inactive = {q.id for q in POOL if not q.active}
    for seed in range(30):
        paper = generate_paper(BLUEPRINTS["three-sections"], POOL, seed=seed)
        assert not inactive & set(paper.question_ids)


@pytest.mark.parametrize(
    ("section", "available", "fragments"),
    [
        (
            Section(
                "single",
                20,
                Decimal(1),
                label="单选",
                law="刑事诉讼法",
                difficulty_min=2,
                difficulty_max=3,
            ),
            8,
            ["「单选」", "20 道", "难度 2–3", "《刑事诉讼法》", "只有 8 道"],
        ),
        (Section("judge", 99, Decimal(1), label="判断"), 57, ["「判断」", "99 道", "只有 57 道"]),
        (
            Section(
                "multiple", 5, Decimal(1), difficulty_min=5, difficulty_max=5, law="行政强制法"
            ),
            3,
            ["「multiple」", "难度 5", "只有 3 道"],
        ),
        (Section("case", 1, Decimal(10), label="案例分析"), 0, ["「案例分析」", "只有 0 道"]),
    ],
)
def test_shortage_message(section, available, fragments):
    with pytest.raises(BlueprintError) as exc:
        generate_paper(Blueprint((section,)), POOL, seed=1)
    message = str(exc.value)
    for fragment in fragments:
        assert fragment in message
    assert exc.value.needed == section.count
    assert exc.value.available == available
    assert check_blueprint(Blueprint((section,)), POOL)[0].available == available


def test_later_section_sees_questions_taken_by_earlier_one():
    # 刑事诉讼法 has 19 active single questions: 15 + 5 cannot both be filled.
    bp = Blueprint(
        (
            Section("single", 15, Decimal(1), law="刑事诉讼法"),
            Section("single", 5, Decimal(1), law="刑事诉讼法"),
        )
    )
    with pytest.raises(BlueprintError) as exc:
        generate_paper(bp, POOL, seed=3)
    assert exc.value.section_index == 1
    assert exc.value.available == 4


def test_empty_blueprint_and_zero_count_rejected():
    with pytest.raises(BlueprintError):
        generate_paper(Blueprint(()), POOL, seed=1)
    with pytest.raises(BlueprintError):
        generate_paper(Blueprint((Section("single", 0, Decimal(1)),)), POOL, seed=1)


@pytest.mark.parametrize("seed", ["officer-1", "officer-2", 99])
def test_shuffle_keeps_questions_and_sections(seed):
    paper = generate_paper(BLUEPRINTS["three-sections"], POOL, seed="exam")
    fixed = {q.id for q in POOL if q.options_fixed}
    shuffled = shuffle_paper(paper, seed=seed, fixed_options=fixed)
    assert sorted(shuffled.question_ids) == sorted(paper.question_ids)
    assert [i.section_index for i in shuffled.items] == sorted(
        i.section_index for i in shuffled.items
    )
    assert paper_matches_blueprint(shuffled, BLUEPRINTS["three-sections"], POOL) == []
    for item in shuffled.items:
        if item.question_id in fixed:
            assert item.option_order == ("T", "F")
    assert shuffle_paper(paper, seed=seed, fixed_options=fixed) == shuffled


def test_shuffle_differs_between_officers_and_can_be_switched_off():
    paper = generate_paper(BLUEPRINTS["single-only"], POOL, seed="exam")
    orders = {shuffle_paper(paper, seed=f"o{i}").question_ids for i in range(10)}
    assert len(orders) > 5
    options = {shuffle_paper(paper, seed=f"o{i}").items[0].option_order for i in range(10)}
    assert len(options) > 1
    same = shuffle_paper(paper, seed="x", questions=False, options=False)
    assert same == paper


def test_fixed_paper_groups_by_type_and_rejects_duplicates():
    q = {x.id: x for x in POOL}
    paper = fixed_paper([(q[1], Decimal(2)), (q[25], Decimal(3)), (q[2], Decimal(2))])
    assert paper.question_ids == (1, 2, 25)
    assert paper.total_points == Decimal(7)
    with pytest.raises(BlueprintError):
        fixed_paper([(q[1], Decimal(1)), (q[1], Decimal(1))])


def test_derive_seed_is_stable():
    assert derive_seed("exam", 1, 2) == derive_seed("exam", 1, 2)
    assert derive_seed("exam", 1, 2) != derive_seed("exam", 12)


def test_a_section_restricted_to_given_ids_draws_only_them_and_names_its_scope():
    """A compilation section (法规汇编): the caller passes the ids its scope allows."""
    pool = make_pool()
    allowed = frozenset(q.id for q in pool if q.qtype == "single" and q.active)
    allowed = frozenset(sorted(allowed)[:6])
    section = Section("single", 6, Decimal(1), only_ids=allowed, scope_label="现场执法汇编")
    paper = generate_paper(Blueprint((section,)), pool, seed="s")
    assert set(paper.question_ids) == allowed
    too_many = Section("single", 7, Decimal(1), only_ids=allowed, scope_label="现场执法汇编")
    (problem,) = check_blueprint(Blueprint((too_many,)), pool)
    assert "汇编《现场执法汇编》" in str(problem) and problem.available == 6
    nothing = Section("single", 1, Decimal(1), only_ids=frozenset())
    with pytest.raises(BlueprintError):
        generate_paper(Blueprint((nothing,)), pool, seed="s")
