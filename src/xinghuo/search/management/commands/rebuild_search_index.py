"""Index every searchable record again: after a bulk load without indexing, or a change of the dictionary."""

import os

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from xinghuo import search


class Command(BaseCommand):
    help = "重建全文检索索引（批量导入或修改分词词典之后运行）：默认全部可检索的模型，或以 app_label.Model 指定"

    def add_arguments(self, parser):
        parser.add_argument("models", nargs="*", help="如 venues.Venue；不填则全部")
        parser.add_argument("--batch-size", type=int, default=1000)
        parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="分词进程数（默认为 CPU 核数）")

    def handle(self, *args, **options):
        registered = {m._meta.label_lower: m for m in search.registered_models()}
        wanted = registered.values()
        if options["models"]:
            try:
                wanted = [registered[apps.get_model(label)._meta.label_lower] for label in options["models"]]
            except (LookupError, ValueError, KeyError) as exc:
                raise CommandError(f"不是可检索的模型：{exc}；可选 {'、'.join(sorted(registered))}") from exc
        for model in wanted:
            count = search.rebuild(model, batch_size=options["batch_size"], jobs=options["jobs"])
            self.stdout.write(f"{model._meta.verbose_name}（{model._meta.label}）：已索引 {count} 条")
