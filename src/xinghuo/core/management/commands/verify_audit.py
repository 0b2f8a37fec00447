"""Verify the audit trail's hash chain; name the first broken record and exit non-zero if there is one.

Records still pending are sealed first, so that the check covers everything committed so far."""

from django.core.management.base import BaseCommand, CommandError

from xinghuo.core.audit import describe, seal_pending, verify_chain


class Command(BaseCommand):
    help = "封存待封存的审计记录，再校验哈希链：发现篡改、删除或插入时指出第一条有问题的记录并以非零状态退出"

    def handle(self, *args, **options):
        seal_pending()
        checked, broken, reason = verify_chain()
        if broken is not None and reason:
            raise CommandError(f"审计日志校验失败：{describe(broken)}（{broken.at:%Y-%m-%d %H:%M:%S}，{broken}）—— {reason}")
        if reason:
            raise CommandError(f"审计日志校验失败 —— {reason}")
        self.stdout.write(self.style.SUCCESS(f"审计日志校验通过：共 {checked} 条记录，哈希链完整"))
