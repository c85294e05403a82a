"""Rebuild the search index from every registered provider.

    python manage.py rebuild_search_index            # both cores, progress bar
    python manage.py rebuild_search_index --procs 1
    python manage.py rebuild_search_index --drain    # only apply pending updates (outbox)

Whoosh: writes a fresh index directory and swaps it in atomically; searches keep working on the
old one meanwhile, and updates made during the rebuild are applied right after the swap.
PostgreSQL backend: replaces the table's rows in one transaction.
"""

import os
import sys
import time

from django.core.management.base import BaseCommand

from search import backends, services


class Command(BaseCommand):
    help = "Rebuild the full-text search index (Whoosh or PostgreSQL, per FAZHI_SEARCH_BACKEND)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--procs",
            type=int,
            default=min(2, os.cpu_count() or 1),
            help="worker processes for segmentation and indexing (default: 2)",
        )
        parser.add_argument("--drain", action="store_true", help="only apply pending updates")

    def handle(self, *args, procs, drain, **options):
        if drain:
            n = backends.drain(wait=60.0) if backends.backend_name() == "whoosh" else 0
            self.stdout.write(f"applied {n} pending update(s)")
            return
        started = time.monotonic()
        tty = hasattr(self.stdout, "isatty") and self.stdout.isatty() or sys.stdout.isatty()
        state = {"last": -1}

        def progress(done: int, total: int) -> None:
            pct = int(done * 100 / total) if total else 100
            if tty:
                bar = "#" * (pct // 4)
                self.stdout.write(f"\r[{bar:<25}] {pct:3d}%  {done}/{total}", ending="")
                self.stdout.flush()
            elif pct // 10 != state["last"] // 10 or done == total:
                self.stdout.write(f"[{done}/{total}] {pct}%")
            state["last"] = pct

        self.stdout.write(
            f"collecting documents from providers ({backends.backend_name()} backend) ..."
        )
        docs = services.all_documents()
        self.stdout.write(f"{len(docs)} documents; indexing with {procs} process(es)")
        n = services.search_index_rebuild(procs=procs, progress=progress, documents=docs)
        if tty:
            self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"indexed {n} documents in {time.monotonic() - started:.1f} s")
        )
