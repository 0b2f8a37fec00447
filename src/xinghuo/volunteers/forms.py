"""Forms of the volunteers' console pages. Services check again; their DomainError lands beside the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.regions.models import Region
from xinghuo.volunteers.models import ObjectionChannel, RecordStatus

DATE = forms.DateInput(attrs={"type": "date"})
KEY_HELP = _("志愿者的手机号（11 位）或身份证号（18 位），须与姓名一致")


class VolunteerFilterForm(Form):
    q = forms.CharField(label=_("姓名"), required=False, max_length=50)
    star = forms.TypedChoiceField(
        label=_("星级"), required=False, coerce=int, empty_value=None,
        choices=[("", _("全部")), *[(str(n), f"{n} ★") for n in range(1, 6)]],
    )  # fmt: skip


class TeamForm(Form):
    name = forms.CharField(label=_("服务队名称"), max_length=100, error_messages={"required": _("请填写服务队名称")})
    organisation = forms.ChoiceField(label=_("所属单位"))
    description = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, organisations: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].choices = [(str(o.uid), o.name) for o in organisations]


class MemberForm(Form):
    name = forms.CharField(label=_("姓名"), max_length=50, error_messages={"required": _("请填写志愿者姓名")})
    key = forms.CharField(
        label=_("手机号或身份证号"), max_length=30, help_text=KEY_HELP, error_messages={"required": _("请填写手机号或身份证号")}
    )


class RecordFilterForm(Form):
    q = forms.CharField(label=_("志愿者姓名"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *RecordStatus.choices])
    county = forms.ChoiceField(label=_("县市区"), required=False)
    date_from = forms.DateField(label=_("服务日期自"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("至"), required=False, widget=DATE)
    mine = forms.BooleanField(label=_("只看本单位记录的"), required=False)

    def __init__(self, *args: Any, counties: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["county"].choices = [("", _("全部县市区"))] + [(r.code, r.display_name) for r in counties]


class RecordForm(Form):
    name = forms.CharField(label=_("志愿者姓名"), max_length=50, error_messages={"required": _("请填写志愿者姓名")})
    key = forms.CharField(
        label=_("手机号或身份证号"), max_length=30, help_text=KEY_HELP, error_messages={"required": _("请填写手机号或身份证号")}
    )
    date = forms.DateField(label=_("服务日期"), widget=DATE, error_messages={"required": _("请填写服务日期"), "invalid": _("日期格式不对")})
    hours = forms.DecimalField(
        label=_("服务时长（小时）"), max_digits=4, decimal_places=1, min_value=0.1, max_value=24,
        error_messages={"required": _("请填写服务时长"), "invalid": _("请填写数字，如 2 或 1.5")},
    )  # fmt: skip
    content = forms.CharField(label=_("服务内容"), max_length=200, error_messages={"required": _("请填写服务内容")})
    activity = forms.ChoiceField(label=_("所在活动"), required=False, help_text=_("本单位主办的活动；服务队自行组织的服务可不选"))
    team = forms.ChoiceField(label=_("服务队"), required=False, help_text=_("本单位的服务队；不在活动中的服务必选"))

    def __init__(self, *args: Any, activities: list[Any], teams: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [("", "—")] + [(str(a.uid), f"{a.title}（{a.starts_at:%Y-%m-%d}）") for a in activities]
        self.fields["team"].choices = [("", "—")] + [(str(t.uid), t.name) for t in teams]


class CertificateForm(Form):
    start = forms.DateField(label=_("起始日期"), widget=DATE, error_messages={"required": _("请填写起始日期")})
    end = forms.DateField(label=_("截止日期"), widget=DATE, error_messages={"required": _("请填写截止日期")})


class ReasonForm(Form):
    reason = forms.CharField(label=_("作废理由"), max_length=300, error_messages={"required": _("请写明作废理由")})


class ObjectionForm(Form):
    channel = forms.ChoiceField(label=_("渠道"), choices=ObjectionChannel.choices)
    received_on = forms.DateField(label=_("收到日期"), widget=DATE, error_messages={"required": _("请填写收到日期")})
    contact_name = forms.CharField(label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人")})
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, error_messages={"required": _("请填写联系电话")})
    content = forms.CharField(
        label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 3}), error_messages={"required": _("请填写异议内容")}
    )


class DecisionForm(Form):
    upheld = forms.TypedChoiceField(
        label=_("核实结论"), choices=[("0", _("异议不成立，维持公示")), ("1", _("异议成立，撤销星级"))], coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )  # fmt: skip
    answer = forms.CharField(
        label=_("核实情况与答复"), widget=forms.Textarea(attrs={"rows": 2}), error_messages={"required": _("请写明核实情况与答复")}
    )


class RuleForm(Form):
    name = forms.CharField(
        label=_("嘉许名称"), max_length=60, error_messages={"required": _("请填写嘉许名称")}, help_text=_("如“年度优秀科技志愿者”")
    )
    min_year_hours = forms.DecimalField(
        label=_("年度服务时长不少于（小时）"), max_digits=6, decimal_places=1, min_value=0.1,
        error_messages={"required": _("请填写年度服务时长"), "invalid": _("请填写数字")},
    )  # fmt: skip
    description = forms.CharField(label=_("说明"), max_length=300, required=False)


class GrantForm(Form):
    rule = forms.ChoiceField(label=_("嘉许规则"))
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, error_messages={"required": _("请填写年度")})

    def __init__(self, *args: Any, rules: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["rule"].choices = [(str(r.uid), f"{r.name}（≥ {r.min_year_hours} 小时）") for r in rules]


class WithdrawForm(Form):
    reason = forms.CharField(label=_("撤销理由"), max_length=300, error_messages={"required": _("请写明撤销理由")})
