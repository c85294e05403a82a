"""Answers and options as the officer saw them: letters in the order shown, 正确/错误 for
true/false items (see ``questions.engine.lettering``). Used by the result and review pages, the
result API, and the printed papers and keys, so that all of them use the same letters."""

from __future__ import annotations

from django.utils.translation import gettext as _

from questions.engine.lettering import shown_answer, shown_letters
from questions.engine.types import FALSE_KEY, TRUE_KEY

TRUE_FALSE = "true_false"
CASE = "case"


def true_false_word(key: str) -> str:
    return {TRUE_KEY: _("正确"), FALSE_KEY: _("错误")}.get(key, key)


def answer_words(response, qtype: str, order) -> str:
    """One answer (stored keys) as shown: "B", "AC", 正确, or "" when unanswered."""
    if qtype == TRUE_FALSE:
        text = shown_answer(response, (TRUE_KEY, FALSE_KEY))
        return true_false_word(text) if text else ""
    return shown_answer(response, order)


def case_answer_words(responses, parts: list[dict]) -> str:
    """A case answer (one response per sub-question) as "(1) B (2) AC"."""
    responses = responses if isinstance(responses, list) else []
    out = []
    for i, part in enumerate(parts):
        value = responses[i] if i < len(responses) else None
        words = answer_words(value, part["type"], list(part["options"])) or "—"
        out.append(f"({i + 1}) {words}")
    return " ".join(out)


def shown_options(qtype: str, options: dict, order) -> list[tuple[str, str, str]]:
    """(stored key, letter shown, text) in the order shown; true/false: no letter, 正确/错误."""
    if qtype == TRUE_FALSE:
        return [(k, "", true_false_word(k)) for k in (TRUE_KEY, FALSE_KEY)]
    order = [k for k in (order or options) if k in options]
    letters = shown_letters(order)
    return [(k, letters[k], options[k]) for k in order]


def item_view(data: dict, order, response=None, key=None) -> dict:
    """One question of a paper for a page: options with the letters shown, and (when given)
    the officer's answer and the key, both written the same way."""
    qtype = data["type"]
    view = {
        "type": qtype,
        "stem": data["stem"],
        "options": shown_options(qtype, data["options"], order),
        "parts": [
            {
                "stem": p["stem"],
                "type": p["type"],
                "type_label": p.get("type_label", ""),
                "options": shown_options(p["type"], p["options"], list(p["options"])),
            }
            for p in data.get("parts", [])
        ],
    }
    if qtype == CASE:
        view["your_answer"] = case_answer_words(response, data.get("parts", []))
        if key is not None:
            view["answer"] = case_answer_words(
                [p["answer"] for p in key.get("parts", [])], data.get("parts", [])
            )
    else:
        view["your_answer"] = answer_words(response, qtype, order)
        if key is not None:
            view["answer"] = answer_words(key.get("answer"), qtype, order)
    return view
