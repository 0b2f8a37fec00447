"""Verify the audit trail's hash chain; name the first broken record and exit non-zero if there is one."""

from django.core.management.base import BaseCommand, CommandError

from xinghuo.core.audit import verify_chain


class Command(BaseCommand):
    help = "校验审计日志的哈希链：发现篡改、删除或插入时指出第一条有问题的记录并以非零状态退出"

    def handle(self, *args, **options):
        checked, broken, reason = verify_chain()
        if broken is not None and reason:
            raise CommandError(f"审计日志校验失败：第 {broken.seq} 条记录（{broken.at:%Y-%m-%d %H:%M:%S}，{broken}）—— {reason}")
        if reason:
            raise CommandError(f"审计日志校验失败 —— {reason}")
        self.stdout.write(self.style.SUCCESS(f"审计日志校验通过：共 {checked} 条记录，哈希链完整"))
