"""The translation catalogues stay valid: branches append entries, and a merge can leave two
definitions of one message (GNU msgfmt refuses such a file) or an entry without its English."""

from collections import Counter
from pathlib import Path

import polib
import pytest

LOCALE = Path(__file__).resolve().parents[2] / "locale"


@pytest.mark.parametrize("language", ["en", "zh_Hans"])
def test_no_message_is_defined_twice(language):
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))
    counts = Counter((e.msgctxt, e.msgid) for e in catalogue if not e.obsolete)
    assert [key for key, n in counts.items() if n > 1] == []


def test_every_english_entry_is_translated_and_keeps_its_placeholders():
    import re

    catalogue = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    placeholder = re.compile(r"%\(\w+\)[sd]")
    problems = []
    for entry in catalogue:
        if entry.obsolete or "fuzzy" in entry.flags:
            continue
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(t.strip() for t in translations):
            problems.append(("untranslated", entry.msgid))
            continue
        wanted = set(placeholder.findall(entry.msgid))
        found = [set(placeholder.findall(text)) for text in translations]
        # A singular form may leave out the count ("This question …"); none may add one.
        if set().union(*found) != wanted or any(not f <= wanted for f in found):
            problems.append(("placeholders", entry.msgid))
    assert problems == []
