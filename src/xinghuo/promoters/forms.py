from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form


class AssignForm(Form):
    villages = forms.CharField(
        label=_("负责的社区（村）"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text=_("填写社区（村）的名称或 12 位区划代码，多个用逗号、顿号或换行分隔；重名的请填写区划代码"),
        error_messages={"required": _("请填写负责的社区（村）")},
    )  # fmt: skip
    since = forms.DateField(label=_("起始日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def typed(self) -> list[str]:
        raw = self.cleaned_data["villages"]
        for sep in ("，", "、", "\n", "\r", ";", "；"):
            raw = raw.replace(sep, ",")
        return [part.strip() for part in raw.split(",") if part.strip()]
