"""Prepare the load benchmark's sign-up rush (see activities.rush): the activity, the citizens and their sessions, and
a JSON file of what the bench client sends (session and CSRF cookies, form tokens, the activity's paths). Bench
databases only: it creates accounts and live sessions, and empties the rush activity's registrations."""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xinghuo.accounts.actor import actor_for
from xinghuo.accounts.models import User
from xinghuo.activities import rush
from xinghuo.core import context
from xinghuo.core.errors import DomainError
from xinghuo.core.scoping import system_scope


def _stale_keys(path: Path) -> list[str]:
    """The session keys the previous run wrote, to delete them (an unreadable file has none to offer)."""
    try:
        return [person["session"] for person in json.loads(path.read_text())["people"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []


class Command(BaseCommand):
    help = "性能基准：准备报名高峰（一个有固定名额的已发布活动、一批已登录的市民会话），并写出压测客户端所需的 JSON 文件"

    def add_arguments(self, parser):
        parser.add_argument("--people", type=int, default=2000, help="市民人数（每人一个已登录会话）")
        parser.add_argument("--seats", type=int, default=200, help="活动名额")
        parser.add_argument("--staff", default="kepu", help="填报并发布活动的市科协工作人员用户名")
        parser.add_argument("--out", type=Path, default=settings.VAR_DIR / "bench" / "signup_rush.json")

    def handle(self, *args, **options):
        people, seats, out = options["people"], options["seats"], options["out"]
        if people < 1 or seats < 1:
            raise CommandError("--people 和 --seats 须至少为 1")
        staff = User.objects.filter(username=options["staff"]).first()
        if staff is None:
            raise CommandError(f"没有用户名为“{options['staff']}”的工作人员（先运行 seed_demo）")
        try:
            with context.as_command("prepare_signup_rush"), system_scope():
                data = rush.prepare(actor=actor_for(staff), people=people, seats=seats, stale_keys=_stale_keys(out))
        except (DomainError, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        out.parent.mkdir(parents=True, exist_ok=True)
        # live sessions: readable by this user only
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(data.as_json(), handle, ensure_ascii=False)
        self.stdout.write(f"报名高峰：活动 {data.activity.uid}（{seats} 个名额），{people} 位已登录市民 → {out}")
