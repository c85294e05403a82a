from django.db import migrations

CATEGORIES = [
    ("刑事", "xingshi", 3),
    ("行政", "xingzheng", None),
    ("治安", "zhian", None),
    ("交通", "jiaotong", None),
    ("出入境", "churujing", None),
    ("禁毒", "jindu", None),
    ("网络安全", "wangluo", None),
    ("执法监督", "jiandu", None),
    ("其他", "qita", None),
]


def create(apps, schema_editor):
    Category = apps.get_model("legal_online", "Category")
    for order, (name, slug, days) in enumerate(CATEGORIES):
        Category.objects.get_or_create(slug=slug, defaults={"name": name, "order": order * 10, "due_days": days})


class Migration(migrations.Migration):
    dependencies = [("legal_online", "0001_initial")]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
