"""Annotations stay on their words when the case text is edited and published."""

import pytest

from django.core.exceptions import PermissionDenied, ValidationError

from casebook import services
from casebook.models import Annotation, CasePage

from .conftest import FACTS

pytestmark = pytest.mark.django_db


def annotate(case, user, word, kind="note", note="说明"):
    start = case.facts.index(word)
    return services.annotation_create(
        case=case,
        user=user,
        field="facts",
        start=start,
        end=start + len(word),
        kind=kind,
        note=note,
        quote=word,
    )


def publish_edit(case, new_facts, user=None):
    """Edit the facts as the admin does: a revision, then publish."""
    page = CasePage.objects.get(pk=case.pk)
    page.facts = new_facts
    page.save_revision(user=user).publish()
    return CasePage.objects.get(pk=case.pk)


def test_editing_keeps_annotations_on_the_same_words_and_flags_the_deleted_one(
    make_case, legal_staff
):
    case = make_case()
    fist = annotate(case, legal_staff, "用拳头击打李某面部")
    injury = annotate(case, legal_staff, "经鉴定为轻微伤")
    dispute = annotate(case, legal_staff, "停车纠纷")

    new = FACTS.replace("2024年3月2日晚，", "2024年3月2日20时许，在某小区门口，").replace(
        "经鉴定为轻微伤。", ""
    )
    case = publish_edit(case, new, legal_staff)

    fist.refresh_from_db()
    injury.refresh_from_db()
    dispute.refresh_from_db()
    assert case.facts[fist.start : fist.end] == "用拳头击打李某面部"
    assert case.facts[dispute.start : dispute.end] == "停车纠纷"
    assert fist.status == dispute.status == "placed"
    assert injury.status == "flagged"
    assert injury.quote == "经鉴定为轻微伤"  # kept for staff, never dropped
    assert "删除" in injury.flag_reason
    assert Annotation.objects.count() == 3


def test_saving_a_draft_revision_does_not_move_annotations(make_case, legal_staff):
    case = make_case()
    a = annotate(case, legal_staff, "停车纠纷")
    page = CasePage.objects.get(pk=case.pk)
    page.facts = "前言。" + page.facts
    page.save_revision(user=legal_staff)  # draft only: the live text is unchanged
    a.refresh_from_db()
    assert CasePage.objects.get(pk=case.pk).facts[a.start : a.end] == "停车纠纷"
    assert a.start == FACTS.index("停车纠纷")


def test_crlf_from_the_browser_is_normalised(make_case, legal_staff):
    case = make_case()
    case = publish_edit(case, FACTS.replace("。经鉴定", "。\r\n经鉴定"))
    assert "\r" not in case.facts


def test_placing_a_flagged_annotation_again(make_case, legal_staff):
    case = make_case()
    a = annotate(case, legal_staff, "经鉴定为轻微伤")
    case = publish_edit(case, FACTS.replace("经鉴定为轻微伤。", "李某未去医院。"))
    a.refresh_from_db()
    assert a.status == "flagged"
    start = case.facts.index("李某未去医院")
    services.annotation_place(
        annotation=a,
        user=legal_staff,
        field="facts",
        start=start,
        end=start + 6,
        quote="李某未去医院",
    )
    a.refresh_from_db()
    assert (a.status, a.quote, a.flag_reason) == ("placed", "李某未去医院", "")


def test_officer_cannot_annotate(make_case, officer):
    case = make_case()
    with pytest.raises(PermissionDenied):
        annotate(case, officer, "停车纠纷")


@pytest.mark.parametrize(
    ("start", "end", "quote", "message"),
    [(0, 999, None, "超出"), (0, 4, "别的文字", "不一致")],
)
def test_bad_selection_is_refused(make_case, legal_staff, start, end, quote, message):
    case = make_case()
    with pytest.raises(ValidationError) as exc:
        services.annotation_create(
            case=case,
            user=legal_staff,
            field="facts",
            start=start,
            end=end,
            kind="highlight",
            quote=quote,
        )
    assert message in " ".join(exc.value.messages)


def test_note_needs_text_and_article_link_needs_article(make_case, legal_staff):
    case = make_case()
    with pytest.raises(ValidationError):
        annotate(case, legal_staff, "停车纠纷", note="  ")
    with pytest.raises(ValidationError):
        annotate(case, legal_staff, "停车纠纷", kind="article")
