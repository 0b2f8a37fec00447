"""Open the progress reports of the last ended month and quarter (`manage.py open_progress_reports`; run daily)."""

from django.core.management.base import BaseCommand

from xinghuo.core import context
from xinghuo.core.scoping import system_scope
from xinghuo.worklist.supervision import reports_open


class Command(BaseCommand):
    help = "开启上一个月度、季度的进展报送（每日运行，已开启的不重复）"

    def handle(self, *args, **options):
        with context.as_command("open_progress_reports"), system_scope():
            opened = reports_open()
        self.stdout.write(f"新开启进展报送 {opened} 份")
