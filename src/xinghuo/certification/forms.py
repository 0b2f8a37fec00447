"""Forms of certification. Each field's message is Chinese; services check again and their DomainError lands
beside the field it names."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.certification.models import ApplicationKind, ApplicationStatus, Indicator, ObjectionChannel, ReviewOutcome, ReviewStatus
from xinghuo.core.forms import Form
from xinghuo.core.phones import CONTACT_PATTERN
from xinghuo.regions.models import Region
from xinghuo.venues.models import Venue, VenueType

REQUIRED = {"required": _("此项必填")}


class ApplicationFilterForm(Form):
    q = forms.CharField(label=_("场馆"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *ApplicationStatus.choices])
    kind = forms.ChoiceField(label=_("类别"), required=False, choices=[("", _("全部类别")), *ApplicationKind.choices])
    venue_type = forms.ChoiceField(label=_("场馆类型"), required=False, choices=[("", _("全部类型")), *VenueType.choices])
    region = forms.ChoiceField(label=_("区划"), required=False)
    todo = forms.BooleanField(label=_("只看待我办理"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部区划"))] + [(r.code, r.display_name) for r in regions]


class NewApplicationForm(Form):
    venue = forms.ModelChoiceField(
        label=_("场馆"), queryset=Venue.objects.none(), error_messages={"required": _("请选择场馆"), "invalid_choice": _("该场馆不能申请")}
    )
    kind = forms.ChoiceField(label=_("类别"), choices=ApplicationKind.choices, initial=ApplicationKind.INITIAL)
    statement = forms.CharField(label=_("申请说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, venues: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues
        self.fields["venue"].to_field_name = "uid"
        self.fields["venue"].label_from_instance = lambda v: f"{v.name}（{v.get_venue_type_display()}·{v.get_status_display()}）"


class ScoresForm(Form):
    """A score and a note for each indicator of a standard: fields score_<id> and note_<id>."""

    def __init__(self, *args: Any, indicators: list[Indicator], required: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.indicators = indicators
        for ind in indicators:
            self.fields[f"score_{ind.pk}"] = forms.DecimalField(
                label=ind.name, min_value=0, max_value=ind.weight, decimal_places=1, required=required,
                widget=forms.NumberInput(attrs={"step": "0.5", "inputmode": "decimal"}),
                error_messages={"required": _("请评分"), "invalid": _("请填写数字"),
                                "max_value": _("不能超过 %(limit_value)s 分"), "min_value": _("不能低于 0 分"),
                                "max_decimal_places": _("最多一位小数")},
            )  # fmt: skip
            self.fields[f"note_{ind.pk}"] = forms.CharField(label=_("说明"), required=False, max_length=1000)

    def rows(self) -> list[tuple[Indicator, Any, Any]]:
        return [(ind, self[f"score_{ind.pk}"], self[f"note_{ind.pk}"]) for ind in self.indicators]

    @staticmethod
    def scores_of(data: dict[str, Any], indicators: list[Indicator]) -> dict[int, tuple[Any, str]]:
        """{indicator id: (score, note)} from the cleaned data."""
        return {ind.pk: (data.get(f"score_{ind.pk}"), data.get(f"note_{ind.pk}", "")) for ind in indicators}


class SelfAssessmentForm(ScoresForm):
    statement = forms.CharField(label=_("申请说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, required=False, **kwargs)


class CityReviewForm(ScoresForm):
    decision = forms.ChoiceField(
        label=_("评审结论"), widget=forms.RadioSelect, error_messages={"required": _("请选择评审结论")},
        choices=[("notice", _("通过评审，进入公示")), ("return", _("退回修改")), ("reject", _("不予认定"))],
    )  # fmt: skip
    reason = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, required=False, **kwargs)


class EvidenceForm(Form):
    file = forms.FileField(label=_("证明材料"), error_messages={"required": _("请选择文件"), "empty": _("文件是空的")},
                           help_text=_("PDF、图片（JPEG/PNG/WebP）、Word 或 Excel，单个不超过 20 MB"))  # fmt: skip
    indicator = forms.TypedChoiceField(label=_("对应指标"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, indicators: list[Indicator], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("（整体材料）"))] + [(i.pk, f"{i.order}. {i.name}") for i in indicators]


class CountyReviewForm(Form):
    decision = forms.ChoiceField(label=_("审核意见"), widget=forms.RadioSelect, choices=[("approve", _("审核通过，报市科协")), ("return", _("退回修改"))],
                                 error_messages={"required": _("请选择审核意见")})  # fmt: skip
    reason = forms.CharField(label=_("意见说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             help_text=_("退回时必填：写明需要补充或修改的内容"))  # fmt: skip


class ReasonForm(Form):
    reason = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ObjectionForm(Form):
    content = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000,
                              error_messages={"required": _("请写明异议的事实和理由")})  # fmt: skip
    contact_name = forms.CharField(label=_("联系人"), max_length=50, error_messages={"required": _("请填写联系人")})
    contact_phone = forms.RegexField(label=_("联系电话"), regex=CONTACT_PATTERN, max_length=20,
                                     error_messages={"required": _("请填写联系电话"), "invalid": _("请填写正确的手机号或固定电话")})  # fmt: skip


class StaffObjectionForm(ObjectionForm):
    channel = forms.ChoiceField(label=_("渠道"), choices=ObjectionChannel.choices, initial=ObjectionChannel.PHONE)


class AnswerForm(Form):
    answer = forms.CharField(label=_("核实与答复"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             error_messages={"required": _("请填写答复意见")})  # fmt: skip
    upheld = forms.TypedChoiceField(label=_("核实结论"), widget=forms.RadioSelect, coerce=lambda v: v == "1",
                                    choices=[("0", _("异议不成立")), ("1", _("异议成立"))], error_messages={"required": _("请选择核实结论")})  # fmt: skip


class DecideForm(Form):
    decision = forms.ChoiceField(label=_("认定结论"), widget=forms.RadioSelect, choices=[("certify", _("予以认定")), ("reject", _("不予认定"))],
                                 error_messages={"required": _("请选择认定结论")})  # fmt: skip
    reason = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             help_text=_("不予认定时必填"))  # fmt: skip


class StandardForm(Form):
    name = forms.CharField(label=_("名称"), max_length=120, error_messages=REQUIRED)
    pass_score = forms.IntegerField(label=_("合格线"), min_value=1, max_value=100, error_messages=REQUIRED)
    good_score = forms.IntegerField(label=_("优良线"), min_value=1, max_value=100, error_messages=REQUIRED)
    excellent_score = forms.IntegerField(label=_("优秀线"), min_value=1, max_value=100, error_messages=REQUIRED)
    notice_days = forms.IntegerField(label=_("公示天数"), min_value=1, max_value=30, error_messages=REQUIRED)
    reassess_years = forms.IntegerField(label=_("复评周期（年）"), min_value=1, max_value=10, error_messages=REQUIRED)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class IndicatorForm(Form):
    category = forms.CharField(label=_("类别"), max_length=30, required=False)
    name = forms.CharField(label=_("指标"), max_length=80, required=False)
    weight = forms.IntegerField(label=_("分值"), min_value=1, max_value=100, required=False)
    description = forms.CharField(label=_("评分要点"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    evidence = forms.CharField(label=_("证明材料"), max_length=200, required=False)
    is_key = forms.BooleanField(label=_("必备项"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("name") and not data.get("weight"):
            self.add_error("weight", _("请填写分值"))
        return data


IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=2, max_num=40, validate_max=True, can_delete=True)


class VersionForm(Form):
    version = forms.CharField(label=_("新版本号"), max_length=20, error_messages={"required": _("请填写新版本号")})


class OpenYearForm(Form):
    year = forms.IntegerField(
        label=_("年度"), min_value=2000, max_value=2100, error_messages={"required": _("请填写年度"), "invalid": _("年度应为数字")}
    )


class ReviewFilterForm(Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *ReviewStatus.choices])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class ReportForm(Form):
    opening_days = forms.IntegerField(label=_("全年开放天数"), min_value=0, max_value=366, error_messages=REQUIRED)
    visitors = forms.IntegerField(label=_("全年接待人次"), min_value=0, max_value=100_000_000, error_messages=REQUIRED)
    activities = forms.IntegerField(label=_("全年科普活动场次"), min_value=0, max_value=10000, error_messages=REQUIRED)
    report = forms.CharField(label=_("自查报告"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, error_messages=REQUIRED)
    photos = MultipleImageField(label=_("照片"), required=False, help_text=_("可多选，JPEG、PNG 或 WebP"))


class SpotCheckForm(Form):
    note = forms.CharField(label=_("实地抽查情况"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000, error_messages=REQUIRED)


class ReviewDecideForm(Form):
    outcome = forms.ChoiceField(label=_("复核结论"), widget=forms.RadioSelect, choices=ReviewOutcome.choices,
                                error_messages={"required": _("请选择复核结论")})  # fmt: skip
    reason = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                             help_text=_("警示或摘牌时必填"))  # fmt: skip
