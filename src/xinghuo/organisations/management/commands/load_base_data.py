"""Load the city's base organisations (idempotent): the association, its departments and direct units,
and the county and zone associations."""

from django.core.management.base import BaseCommand, CommandError

from xinghuo.core import context
from xinghuo.organisations.base_data import load_base_data
from xinghuo.regions.models import Region


class Command(BaseCommand):
    help = "载入市科协、各部室、直属单位及各县市区/功能区科协（可重复运行）"

    def add_arguments(self, parser):
        parser.add_argument("--city", default="370900", help="地级市区划代码（默认 370900 泰安市）")

    def handle(self, *args, **options):
        city = options["city"]
        if len(city) == 4:
            city += "00"
        if not Region.objects.filter(code=city, level="city").exists():
            raise CommandError(f"区划 {city} 尚未载入，请先运行 manage.py load_regions {city[:4]}")
        with context.as_command("load_base_data"):
            result = load_base_data(city_code=city)
        self.stdout.write(f"基础机构：新增 {result.created}，已存在 {result.existing}")
