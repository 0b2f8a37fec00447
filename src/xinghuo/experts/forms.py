"""Forms of the expert pool and its lists. Services check again; their DomainError lands beside the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.experts.models import MIN_NOTICE_DAYS, ListKind, Platform


class SelectionForm(Form):
    year = forms.IntegerField(label=_("年度"), min_value=2020, max_value=2100, error_messages={"required": _("请填写年度")})
    kind = forms.ChoiceField(label=_("名单"), choices=ListKind.choices, error_messages={"required": _("请选择名单类别")})
    notice_days = forms.IntegerField(
        label=_("公示期（工作日）"), min_value=MIN_NOTICE_DAYS, max_value=30, initial=MIN_NOTICE_DAYS,
        help_text=_("不少于 5 个工作日；周末和法定节假日不计，调休上班日计入"),
        error_messages={"min_value": _("公示期不少于 5 个工作日")},
    )  # fmt: skip
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=1000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"year": timezone.localdate().year, "notice_days": MIN_NOTICE_DAYS})
        super().__init__(*args, **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        org = f" · {obj.organisation.name}" if obj.organisation_id else ""
        return f"{obj.name}（{obj.region.name}{org}）"


class NominateForm(Form):
    person = PersonChoiceField(label=_("被推荐人"), queryset=None, to_field_name="uid",
                               error_messages={"required": _("请选择被推荐人"), "invalid_choice": _("请从列表中选择被推荐人")})  # fmt: skip
    reasons = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
                              help_text=_("主要科普事迹、成果和社会影响，至少 10 个字"), error_messages={"required": _("请填写推荐理由")})  # fmt: skip

    def __init__(self, *args: Any, people: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]


class ReasonsForm(Form):
    reasons = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
                              error_messages={"required": _("请填写推荐理由")})  # fmt: skip


class ReviewForm(Form):
    decision = forms.ChoiceField(
        label=_("评审结论"), widget=forms.RadioSelect, error_messages={"required": _("请选择评审结论")},
        choices=[("shortlist", _("列为拟入选")), ("return", _("退回补充")), ("decline", _("不予列入"))],
    )  # fmt: skip
    note = forms.CharField(label=_("评审意见"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                           error_messages={"required": _("请填写评审意见")})  # fmt: skip


class AnswerForm(Form):
    answer = forms.CharField(label=_("核实与答复"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": _("请填写答复意见")})  # fmt: skip
    upheld = forms.TypedChoiceField(
        label=_("核实结论"), widget=forms.RadioSelect, coerce=lambda v: v == "1", error_messages={"required": _("请选择核实结论")},
        choices=[("0", _("异议不成立，保留人选")), ("1", _("异议成立，撤销人选"))],
    )  # fmt: skip


class ObjectionForm(Form):
    name = forms.CharField(label=_("姓名"), required=False, max_length=50, help_text=_("可不填"))
    contact = forms.CharField(label=_("联系方式"), max_length=100, help_text=_("手机号、固定电话或电子邮箱，仅用于核实答复，不会公开"),
                              error_messages={"required": _("请留下联系电话或电子邮箱，以便核实答复")})  # fmt: skip
    reason = forms.CharField(label=_("异议的事实和理由"), widget=forms.Textarea(attrs={"rows": 5}), max_length=2000,
                             error_messages={"required": _("请写明异议的事实和理由")})  # fmt: skip


class ProfileForm(Form):
    topics = forms.CharField(label=_("科普主题"), required=False, max_length=300, help_text=_("以顿号或逗号分隔，最多 10 个"))
    bio = forms.CharField(label=_("个人简介"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 4}),
                          help_text=_("公开展示，最多 500 字；请勿填写手机号、身份证号等个人信息"))  # fmt: skip


class AccountForm(Form):
    platform = forms.ChoiceField(label=_("平台"), choices=Platform.choices)
    account = forms.CharField(label=_("账号"), max_length=60, error_messages={"required": _("请填写账号")})
    followers = forms.IntegerField(label=_("粉丝数"), min_value=0, error_messages={"required": _("请填写粉丝数")})


class StudioForm(Form):
    name = forms.CharField(label=_("名称"), max_length=100, error_messages={"required": _("请填写工作室名称")})
    venue = forms.ModelChoiceField(
        label=_("依托场馆"), queryset=None, to_field_name="uid", error_messages={"required": _("请选择依托场馆")}
    )
    description = forms.CharField(label=_("简介"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, venues: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues  # type: ignore[attr-defined]


class MemberForm(Form):
    person = PersonChoiceField(label=_("专家"), queryset=None, to_field_name="uid", error_messages={"required": _("请选择专家")})
    is_lead = forms.BooleanField(label=_("领衔专家"), required=False)

    def __init__(self, *args: Any, people: QuerySet, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].queryset = people  # type: ignore[attr-defined]
