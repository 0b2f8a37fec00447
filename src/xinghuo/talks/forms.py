from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.activities.models import Brand
from xinghuo.core.forms import Form
from xinghuo.organisations.models import Organisation
from xinghuo.talent.models import Expertise
from xinghuo.venues.models import Audience

DATE = forms.DateInput(attrs={"type": "date"})
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class RequestForm(Form):
    requester = forms.ModelChoiceField(label=_("点单单位"), queryset=Organisation.objects.none(), to_field_name="uid",
                                       error_messages={"required": _("请选择点单单位")})  # fmt: skip
    region = forms.CharField(label=_("举办地"), max_length=100, help_text=_("乡镇（街道）或社区（村）的名称或区划代码"),
                             error_messages={"required": _("请填写举办地")})  # fmt: skip
    topic = forms.CharField(label=_("希望讲的主题"), max_length=100, error_messages={"required": _("请填写希望讲的主题")})
    field = forms.ChoiceField(label=_("专业领域"), choices=Expertise.choices)
    audience = forms.ChoiceField(label=_("听众"), choices=Audience.choices)
    expected_size = forms.IntegerField(label=_("预计人数"), min_value=1, max_value=5000,
                                       error_messages={"required": _("请填写预计人数")})  # fmt: skip
    address = forms.CharField(label=_("讲座地点"), max_length=200, help_text=_("如学校礼堂、社区活动室"),
                              error_messages={"required": _("请填写讲座地点")})  # fmt: skip
    wanted_from = forms.DateField(label=_("希望时间自"), widget=DATE, error_messages={"required": _("请填写希望时间")})
    wanted_until = forms.DateField(label=_("希望时间至"), widget=DATE, error_messages={"required": _("请填写希望时间")})
    contact_name = forms.CharField(label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人")})
    contact_phone = forms.CharField(label=_("联系电话"), max_length=20, error_messages={"required": _("请填写联系电话")})
    note = forms.CharField(label=_("补充说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=1000)

    def __init__(self, *args: Any, organisations: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["requester"].queryset = organisations if organisations is not None else Organisation.objects.none()


class ConfirmForm(Form):
    expert = forms.UUIDField(widget=forms.HiddenInput, error_messages={"required": _("请选择主讲专家")})
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                    error_messages={"required": _("请填写开始时间")})  # fmt: skip
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=DATETIME, input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
                                  error_messages={"required": _("请填写结束时间")})  # fmt: skip
    brand = forms.ModelChoiceField(label=_("活动品牌"), queryset=Brand.objects.filter(is_active=True), to_field_name="code",
                                   required=False, empty_label=_("三百三进（默认）"))  # fmt: skip


class DeclineForm(Form):
    reason = forms.CharField(label=_("未能安排的原因"), max_length=300, widget=forms.Textarea(attrs={"rows": 2}),
                             error_messages={"required": _("请填写未能安排的原因，点单单位会看到")})  # fmt: skip


class FeedbackForm(Form):
    rating = forms.TypedChoiceField(label=_("评分"), coerce=int, choices=[(n, f"{n} 分") for n in range(5, 0, -1)],
                                    widget=forms.RadioSelect, error_messages={"required": _("请给出 1 到 5 分的评分")})  # fmt: skip
    comment = forms.CharField(label=_("反馈"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
