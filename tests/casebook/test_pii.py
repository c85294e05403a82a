"""Personal data in imported text is found and masked, and nothing else is."""

import pytest

from casebook.pii import find_pii, is_valid_id18, luhn_ok, mask_pii


def make_id18(body17: str) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(d) * w for d, w in zip(body17, weights, strict=True))
    return body17 + "10X98765432"[total % 11]


ID18 = make_id18("11010519491231002")  # checksum X
ID18_B = make_id18("44030419900307123")


def make_luhn(prefix15: str) -> str:
    for d in "0123456789":
        if luhn_ok(prefix15 + d):
            return prefix15 + d
    raise AssertionError


CARD = make_luhn("622202100112345")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (f"身份证号码{ID18}，", "id_card"),
        (f"公民身份号码：{ID18_B}。", "id_card"),
        ("身份证号110105491231002，", "id_card"),  # old 15-digit form
        ("联系电话13812345678。", "mobile"),
        ("手机：+86 138 1234 5678。", "mobile"),
        ("电话0591-87654321。", "landline"),
        ("电话（010）62345678。", "landline"),
        ("电话02087654321。", "landline"),
        (f"银行卡号{CARD}", "bank_card"),
        (f"卡号{CARD[:4]} {CARD[4:8]} {CARD[8:12]} {CARD[12:]}。", "bank_card"),
    ],
)
def test_personal_data_is_found(text, kind):
    result = mask_pii(text)
    assert result.counts[kind] == 1, result
    assert result.total == 1
    assert len(result.text) == len(text)
    assert "×" in result.text
    # all digits of the number are gone
    f = result.findings[0]
    assert not any(ch.isdigit() for ch in result.text[f.start : f.end].removeprefix("+86"))


@pytest.mark.parametrize(
    "text",
    [
        "2018年3月17日2时17分许",
        "（2018）闽0102刑初389号",
        "鼓检公诉刑诉（2018）号410号起诉书",
        "血样中的乙醇含量为83.21mg／100ml",
        "人民币12000元，罚金二万元",
        "20180317",
        "11010519491331002X",  # 13th month: not a date
        "6222021001123456780000",  # too long for a card
        "1234567812345678",  # fails Luhn
        "贵J×××××号小型汽车",
        "编号ABC13812345678X",  # glued to letters
    ],
)
def test_other_numbers_are_left_alone(text):
    assert mask_pii(text).text == text
    assert find_pii(text) == []


def test_counts_per_kind_and_order():
    text = f"张某（身份证{ID18}，电话13912345678）与李某（电话13812345678）"
    result = mask_pii(text)
    assert result.counts == {"id_card": 1, "bank_card": 0, "mobile": 2, "landline": 0}
    assert [f.kind for f in result.findings] == ["id_card", "mobile", "mobile"]
    assert "张某" in result.text and "13912345678" not in result.text


def test_id_checksum():
    assert is_valid_id18(ID18)
    assert not is_valid_id18(ID18[:-1] + ("0" if ID18[-1] != "0" else "1"))


def test_id_with_wrong_check_character_is_still_masked():
    wrong = ID18_B[:-1] + ("1" if ID18_B[-1] != "1" else "2")
    assert mask_pii(f"号码{wrong}。").counts["id_card"] == 1


def test_shared_cases_hold_no_unmasked_numbers(shared_data):
    """The shared set was filtered for ID and mobile numbers; the detector agrees."""
    import json

    for path in sorted((shared_data / "cases").glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            for value in json.loads(line).values():
                if isinstance(value, str):
                    counts = mask_pii(value).counts
                    assert counts["id_card"] == 0 and counts["mobile"] == 0, (path.name, counts)
