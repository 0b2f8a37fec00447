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


class FilingForm(Form):
    title = forms.CharField(label=_("实施方案名称"), max_length=200, error_messages={"required": _("请填写实施方案名称")})
    content = forms.CharField(label=_("主要内容"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000,
                              error_messages={"required": _("请填写实施方案的主要内容")})  # fmt: skip


class DecisionForm(Form):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class ReportForm(Form):
    text = forms.CharField(label=_("进展情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           error_messages={"required": _("请填写本期进展情况")})  # fmt: skip


class NoticeForm(Form):
    organisation = forms.CharField(label=_("督办对象"), max_length=100, help_text=_("单位全称或机构代码"),
                                   error_messages={"required": _("请填写督办对象")})  # fmt: skip
    text = forms.CharField(label=_("督办事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           error_messages={"required": _("请填写督办事项")})  # fmt: skip
    answer_by = forms.DateField(label=_("回复期限"), widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"required": _("请填写回复期限")})  # fmt: skip


class AnswerForm(Form):
    answer = forms.CharField(label=_("回复"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                             error_messages={"required": _("请填写回复")})  # fmt: skip
