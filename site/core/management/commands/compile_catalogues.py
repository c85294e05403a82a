"""Compile the gettext catalogues (.po → .mo) in pure Python.

    python manage.py compile_catalogues

Django's own ``compilemessages`` needs GNU gettext's ``msgfmt``, which a fresh machine may not
have; polib does the same job, so ``make run`` works with nothing but Python installed.
"""

from pathlib import Path

import polib

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile every locale/*/LC_MESSAGES/*.po of the project into .mo files."

    def handle(self, *args, **options):
        roots = [Path(p) for p in settings.LOCALE_PATHS]
        roots += [Path(settings.BASE_DIR) / d for d in ("site", "laws", "casebook", "questions")]
        count = 0
        for root in roots:
            for po_path in sorted(root.rglob("LC_MESSAGES/*.po")):
                if ".venv" in po_path.parts:
                    continue
                try:
                    catalogue = polib.pofile(str(po_path))
                except (OSError, ValueError) as exc:
                    raise CommandError(f"{po_path}: {exc}") from exc
                mo_path = po_path.with_suffix(".mo")
                catalogue.save_as_mofile(str(mo_path))
                count += 1
                if options["verbosity"] > 1:
                    self.stdout.write(
                        f"{po_path.relative_to(settings.BASE_DIR)}: {len(catalogue.translated_entries())} "
                        f"translated, {len(catalogue.untranslated_entries())} untranslated"
                    )
        if options["verbosity"] > 0:
            self.stdout.write(self.style.SUCCESS(f"{count} catalogue(s) compiled."))
