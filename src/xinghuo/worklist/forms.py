from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.worklist.models import ActionStatus


class ActionForm(Form):
    status = forms.ChoiceField(label=_("状态"), choices=ActionStatus.choices)
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100,
                                  error_messages={"required": _("请填写进度"), "min_value": _("进度请填写 0 到 100 之间的整数"),
                                                  "max_value": _("进度请填写 0 到 100 之间的整数")})  # fmt: skip
    note = forms.CharField(label=_("进展说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
