"""Recompute law statuses for today (run daily from cron, shortly after midnight)::

    python manage.py refresh_law_status

A version whose effective date has arrived changes from 尚未生效 to 现行有效 and the version
before it becomes 已修改; no re-import is needed. The library also does this on its first read
of each day, so a missed cron run shows no stale status.
"""

from django.core.management.base import BaseCommand

from laws.services import refresh_due_statuses


class Command(BaseCommand):
    help = "按今天的日期更新法规时效性。Recompute law statuses for today's date."

    def handle(self, *args, verbosity=1, **options):
        count = refresh_due_statuses()
        if verbosity >= 1:
            self.stdout.write(
                f"已更新 {count} 部法规的时效性 (statuses refreshed for {count} laws)"
            )
