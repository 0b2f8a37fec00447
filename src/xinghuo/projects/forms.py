from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.organisations.models import Organisation
from xinghuo.projects.models import Category, DocumentKind, ProjectCall, ProjectStatus
from xinghuo.regions.models import Region

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _money(label: Any, required: Any) -> forms.DecimalField:
    return forms.DecimalField(label=label, max_digits=14, decimal_places=2, min_value=Decimal(0),
                              error_messages={"required": required, "invalid": _("请填写金额（元）"),
                                              "min_value": _("金额不能为负数"), "max_decimal_places": _("金额最多保留两位小数"),
                                              "max_digits": _("金额过大"), "max_whole_digits": _("金额过大")})  # fmt: skip


class FilterForm(Form):
    q = forms.CharField(label=_("编号、名称或单位"), required=False, max_length=100)
    year = forms.TypedChoiceField(label=_("年度"), required=False, coerce=int, empty_value=None)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *ProjectStatus.choices])
    category = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部")), *Category.choices])
    county = forms.ChoiceField(label=_("县市区"), required=False)

    def __init__(self, *args: Any, years: list[int], counties: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("全部年度"))] + [(y, str(y)) for y in years]
        self.fields["county"].choices = [("", _("全部县市区"))] + [(r.code, r.display_name) for r in counties]
        if not counties:
            del self.fields["county"]


class ProjectForm(Form):
    title = forms.CharField(label=_("项目名称"), max_length=200, error_messages={"required": _("请填写项目名称")})
    category = forms.ChoiceField(label=_("项目类别"), choices=Category.choices, error_messages={"required": _("请选择项目类别")})
    brief = forms.CharField(label=_("项目简介"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
                            error_messages={"required": _("请填写项目简介")})  # fmt: skip
    goals = forms.CharField(label=_("绩效目标"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                            help_text=_("可量化的产出和效果，如举办活动场次、受益人数"))  # fmt: skip
    requested = _money(_("申请资金（元）"), _("请填写申请资金"))
    period_start = forms.DateField(label=_("实施开始"), widget=DATE, error_messages={"required": _("请填写实施开始日期"),
                                                                                   "invalid": _("日期格式应为 年-月-日")})  # fmt: skip
    period_end = forms.DateField(label=_("实施结束"), widget=DATE, error_messages={"required": _("请填写实施结束日期"),
                                                                                 "invalid": _("日期格式应为 年-月-日")})  # fmt: skip


class NewProjectForm(ProjectForm):
    call = forms.ModelChoiceField(label=_("申报批次"), queryset=ProjectCall.objects.none(), empty_label=None,
                                  error_messages={"required": _("请选择申报批次"), "invalid_choice": _("请选择申报批次")})  # fmt: skip
    applicant = forms.ModelChoiceField(label=_("申报单位"), queryset=Organisation.unscoped.none(),
                                       error_messages={"required": _("请选择申报单位"), "invalid_choice": _("请选择申报单位")})  # fmt: skip

    field_order = ["call", "applicant"]

    def __init__(self, *args: Any, calls: Any, applicants: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["call"].queryset = calls
        self.fields["applicant"].queryset = applicants
        self.order_fields(["call", "applicant", *ProjectForm.base_fields])


class CallForm(Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100,
                              error_messages={"required": _("请填写年度"), "invalid": _("年度请填写四位数字"),
                                              "min_value": _("年度应在 2000 至 2100 之间"), "max_value": _("年度应在 2000 至 2100 之间")})  # fmt: skip
    title = forms.CharField(label=_("批次名称"), max_length=200, error_messages={"required": _("请填写批次名称")})
    total_budget = _money(_("资金总额（元）"), _("请填写资金总额"))
    deadline = forms.DateField(label=_("申报截止日期"), widget=DATE, error_messages={"required": _("请填写申报截止日期"),
                                                                                   "invalid": _("日期格式应为 年-月-日")})  # fmt: skip
    notes = forms.CharField(label=_("申报指南"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=10000)


class DocumentForm(Form):
    kind = forms.ChoiceField(label=_("材料类别"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("文件"), help_text=_("PDF、Word、Excel、PowerPoint 或 JPEG/PNG 图片，不超过 20 MB"),
                           error_messages={"required": _("请选择要上传的文件"), "empty": _("上传的文件是空文件")})  # fmt: skip

    def __init__(self, *args: Any, kinds: tuple[str, ...] = tuple(DocumentKind.values), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, DocumentKind(k).label) for k in kinds]


class CommentForm(Form):
    comment = forms.CharField(label=_("意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)


class AllocateForm(Form):
    amount = _money(_("立项资金（元）"), _("请填写立项资金"))
    comment = forms.CharField(label=_("立项意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class SpendingForm(Form):
    spent = _money(_("累计已支出（元）"), _("请填写已支出金额"))
    comment = forms.CharField(label=_("说明"), required=False, max_length=2000)


class AcceptanceForm(Form):
    summary = forms.CharField(label=_("项目完成情况说明"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000,
                              error_messages={"required": _("请填写项目完成情况说明")})  # fmt: skip
    spent = _money(_("项目决算支出（元）"), _("请填写决算支出金额"))


SCORE_ERRORS = {"required": _("请填写得分"), "invalid": _("得分请填写整数"), "min_value": _("得分不能为负数"),
                "max_value": _("得分不能超过满分")}  # fmt: skip


class EvaluationForm(Form):
    """One whole-number score per criterion of models.CRITERIA, up to its full marks."""

    goal_score = forms.IntegerField(label=_("目标完成（满分 40）"), min_value=0, max_value=40, error_messages=SCORE_ERRORS)
    benefit_score = forms.IntegerField(label=_("社会效益（满分 30）"), min_value=0, max_value=30, error_messages=SCORE_ERRORS)
    funds_score = forms.IntegerField(label=_("经费使用（满分 20）"), min_value=0, max_value=20, error_messages=SCORE_ERRORS)
    archive_score = forms.IntegerField(label=_("档案管理（满分 10）"), min_value=0, max_value=10, error_messages=SCORE_ERRORS)
    comment = forms.CharField(label=_("评价意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
