"""Build realistic demo data at a scale: small (tests), city (≈ Tai'an), province (≈ 16 cities)."""

from django.core.management.base import BaseCommand, CommandError

from xinghuo.core import context, demo
from xinghuo.core.scoping import system_scope


class Command(BaseCommand):
    help = "生成演示数据：--scale small|city|province，--seed 固定随机种子（结果可复现，可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--scale", default="small", choices=demo.SCALES)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--quiet", action="store_true", help="不打印演示账号")

    def handle(self, *args, **options):
        try:
            with context.as_command("seed_demo"), system_scope():
                ctx = demo.run(options["scale"], options["seed"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        for module, made in ctx.shared["summary"].items():
            if made:
                self.stdout.write(f"  {module}: " + "，".join(f"{k} {v}" for k, v in made.items()))
        if not options["quiet"]:
            self.stdout.write(f"\n演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
            for role, login, note in ctx.logins:
                self.stdout.write(f"  {role:<16} {login:<18} {note}")
