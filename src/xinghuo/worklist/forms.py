from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.worklist.attachments import ACCEPT
from xinghuo.worklist.models import ActionStatus

FILES_HELP = _("PDF、Word、Excel、PowerPoint 文件或 JPEG、PNG 图片，每个不超过 20 MB；照片上传时去除拍摄位置等信息")
FILE_ERRORS = {"empty": _("上传的文件是空的"), "invalid": _("上传的不是文件，请重新选择"), "missing": _("没有收到文件，请重新选择")}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each cleaned as a FileField, the content checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", FILE_ERRORS)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


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
    document = forms.FileField(label=_("实施方案文件"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                               help_text=_("印发的实施方案（PDF 或 Word）；再次上传即替换原文件"), error_messages=FILE_ERRORS)  # fmt: skip
    files = MultipleFileField(label=_("佐证材料"), help_text=FILES_HELP)


class DecisionForm(Form):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class FilingDueForm(Form):
    filing_due = forms.DateField(label=_("备案截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("留空则不设截止日期"), error_messages={"invalid": _("请填写正确的日期")})  # fmt: skip


class ReportForm(Form):
    """The progress report template: the period's sections, and photos or documents."""

    text = forms.CharField(label=_("本期完成情况"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    progress = forms.IntegerField(label=_("量化进展（进度%）"), required=False, min_value=0, max_value=100,
                                  help_text=_("报送后即为本单位这项任务的进度"),
                                  error_messages={"invalid": _("进度请填写 0 到 100 之间的整数"), "min_value": _("进度请填写 0 到 100 之间的整数"),
                                                  "max_value": _("进度请填写 0 到 100 之间的整数")})  # fmt: skip
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    next_steps = forms.CharField(label=_("下步计划"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    files = MultipleFileField(label=_("照片和材料"), help_text=FILES_HELP)


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
    files = MultipleFileField(label=_("附件"), help_text=FILES_HELP)
