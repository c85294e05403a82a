"""The typed attempt paper (questions.engine.paper): one place for the stored keys."""

from decimal import Decimal

from questions.engine.paper import AttemptItem, PaperPart, items_from_json, items_to_json


def test_round_trip_and_named_keys():
    item = AttemptItem(
        item="tok",
        question_id=812,
        section=1,
        points=Decimal("2.00"),
        qtype="case",
        options=(),
        parts=(PaperPart("single", ("A", "B")), PaperPart("true_false", ("T", "F"))),
    )
    data = item.to_json()
    assert data == {
        "item": "tok",
        "question": 812,
        "section": 1,
        "points": "2.00",
        "type": "case",
        "options": [],
        "parts": [
            {"type": "single", "options": ["A", "B"]},
            {"type": "true_false", "options": ["T", "F"]},
        ],
    }
    assert AttemptItem.from_json(data) == item
    assert items_from_json(items_to_json([item, item])) == [item, item]


def test_old_one_letter_papers_stay_readable_without_revealing_bank_ids():
    old = [
        {"q": 5, "s": 0, "p": "2.00", "t": "single", "o": ["C", "A", "B"], "parts": []},
        {"q": 9, "s": 1, "p": "5.00", "t": "case", "o": [], "parts": [{"t": "single", "o": ["A"]}]},
    ]
    first, second = items_from_json(old)
    assert (first.question_id, first.options, first.points) == (5, ("C", "A", "B"), Decimal("2"))
    assert second.parts == (PaperPart("single", ("A",)),)
    # The fallback item id is the position, never the bank id.
    assert (first.item, second.item) == ("n1", "n2")


def test_fresh_item_ids_are_random_and_answer_letters_follow_the_type():
    from questions.engine.paper import new_item_id

    assert len({new_item_id() for _ in range(100)}) == 100
    tf = AttemptItem("a", 1, 0, Decimal(1), "true_false", ("T", "F"))
    assert tf.answer_keys == {"T", "F"}
