"""Chain the audit records that committed but were not sealed (say the process died right after a commit).

Idempotent: with nothing pending it seals nothing. Any later audited commit and `verify_audit` do the same."""

from django.core.management.base import BaseCommand

from xinghuo.core.audit import seal_pending


class Command(BaseCommand):
    help = "封存已提交但尚未链入哈希链的审计记录"

    def handle(self, *args, **options):
        sealed = seal_pending()
        self.stdout.write(self.style.SUCCESS(f"已封存 {sealed} 条审计记录"))
