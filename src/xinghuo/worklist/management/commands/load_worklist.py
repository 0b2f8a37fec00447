"""Load the work list of the city's plans (worklist/data.py) into the database: `manage.py load_worklist`."""

from django.core.management.base import BaseCommand, CommandError

from xinghuo.core import context
from xinghuo.core.scoping import system_scope
from xinghuo.organisations.base_data import city_association


class Command(BaseCommand):
    help = "载入专项工作清单（两份方案的全部任务）：新增尚未载入的任务；已有任务保留市科协的修改，除非 --refresh"

    def add_arguments(self, parser):
        parser.add_argument("--refresh", action="store_true",
                            help="按方案原文重写已有任务（文字、负责单位、量化目标），并为平台上新建的负责单位补建落实任务")  # fmt: skip

    def handle(self, *args, **options):
        try:
            from xinghuo.worklist import data
        except ImportError as exc:
            raise CommandError("缺少工作清单数据 worklist/data.py") from exc
        from xinghuo.worklist.loading import load

        with context.as_command("load_worklist"), system_scope():
            loaded = load(plans=data.PLANS, tasks=data.TASKS, city=city_association(), refresh=options["refresh"])
        self.stdout.write(f"工作清单：方案 {loaded.plans}，任务 {loaded.tasks}，量化目标 {loaded.targets}，新增落实单位 {loaded.actions}")
        if loaded.unknown_units:
            self.stdout.write("平台上没有对应机构的负责单位（保留原文）：" + "、".join(sorted(loaded.unknown_units)))
