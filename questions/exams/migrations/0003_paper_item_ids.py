"""Papers get opaque per-attempt item ids and named keys (questions.engine.paper.AttemptItem).

Rewrites every stored paper from the one-letter form ``{"q", "s", "p", "t", "o", "parts"}`` to
the named form with a random item id per question. Answers stay keyed by the bank id on the
server (``AttemptAnswer.question_id``), so nothing else changes."""

from django.db import migrations


def _forward(apps, schema_editor):
    from questions.engine.paper import AttemptItem, new_item_id

    Attempt = apps.get_model("exams", "Attempt")
    batch = []
    for attempt in Attempt.objects.only("id", "paper").iterator(chunk_size=500):
        if not attempt.paper or "question" in attempt.paper[0]:
            continue
        items = []
        for position, row in enumerate(attempt.paper, start=1):
            row = dict(row)
            row.setdefault("i", new_item_id())
            items.append(AttemptItem.from_json(row, position).to_json())
        attempt.paper = items
        batch.append(attempt)
        if len(batch) >= 500:
            Attempt.objects.bulk_update(batch, ["paper"])
            batch = []
    if batch:
        Attempt.objects.bulk_update(batch, ["paper"])


def _backward(apps, schema_editor):
    from questions.engine.paper import AttemptItem

    Attempt = apps.get_model("exams", "Attempt")
    for attempt in Attempt.objects.only("id", "paper").iterator(chunk_size=500):
        if not attempt.paper or "question" not in attempt.paper[0]:
            continue
        rows = []
        for position, row in enumerate(attempt.paper, start=1):
            item = AttemptItem.from_json(row, position)
            rows.append(
                {
                    "q": item.question_id,
                    "s": item.section,
                    "p": str(item.points),
                    "t": item.qtype,
                    "o": list(item.options),
                    "parts": [{"t": p.qtype, "o": list(p.options)} for p in item.parts],
                }
            )
        Attempt.objects.filter(pk=attempt.pk).update(paper=rows)


class Migration(migrations.Migration):
    dependencies = [("exams", "0002_exam_screen")]

    operations = [migrations.RunPython(_forward, _backward)]
