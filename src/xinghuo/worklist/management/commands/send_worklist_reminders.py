"""Remind the units of their deadlines (`manage.py send_worklist_reminders`; run daily, after open_progress_reports)."""

from django.core.management.base import BaseCommand

from xinghuo.core import context
from xinghuo.core.scoping import system_scope
from xinghuo.worklist.reminders import reminders_send


class Command(BaseCommand):
    help = "提醒各单位即将截止和已逾期的进展报送、督办回复和实施方案备案（每日运行，已提醒的不重复）"

    def handle(self, *args, **options):
        with context.as_command("send_worklist_reminders"), system_scope():
            sent = reminders_send()
        self.stdout.write(f"新发出提醒 {sent.total} 条（进展报送 {sent.reports}、督办 {sent.notices}、实施方案备案 {sent.filings}）")
