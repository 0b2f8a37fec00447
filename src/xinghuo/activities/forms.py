"""Forms of activities. Each field's message is Chinese; services check again and their DomainError lands beside
the field it names."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.activities.models import ActivityStatus, Brand, Format, Level, Topic
from xinghuo.certification.forms import MultipleImageField
from xinghuo.core.forms import Form
from xinghuo.organisations.models import Organisation
from xinghuo.regions.models import Region
from xinghuo.venues.models import Audience, Venue

REQUIRED = {"required": _("此项必填")}
DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"]


def _datetime_field(label: Any, *, required: bool = True, help_text: Any = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label, required=required, input_formats=DATETIME_FORMATS, help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        error_messages={"required": _("请填写时间"), "invalid": _("请按“年-月-日 时:分”填写时间")},
    )  # fmt: skip


class ActivityFilterForm(Form):
    q = forms.CharField(label=_("名称或单位"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *ActivityStatus.choices])
    brand = forms.ChoiceField(label=_("品牌"), required=False)
    level = forms.ChoiceField(label=_("层级"), required=False, choices=[("", _("全部层级")), *Level.choices])
    region = forms.ChoiceField(label=_("区划"), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    todo = forms.BooleanField(label=_("只看待我办理"), required=False)

    def __init__(self, *args: Any, brands: list[Brand], regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("全部品牌"))] + [(b.code, b.name) for b in brands]
        self.fields["region"].choices = [("", _("全部区划"))] + [(r.code, r.display_name) for r in regions]


class ActivityForm(Form):
    title = forms.CharField(label=_("活动名称"), max_length=120, error_messages={"required": _("请填写活动名称")})
    brand = forms.ChoiceField(label=_("品牌"), error_messages={"required": _("请选择品牌"), "invalid_choice": _("请选择启用中的品牌")})
    level = forms.ChoiceField(label=_("层级"), choices=Level.choices, initial=Level.GRASSROOTS, widget=forms.RadioSelect,
                              help_text=_("市级示范活动由市科协审核；基层活动由举办地所在县市区（功能区）科协审核"),
                              error_messages={"required": _("请选择层级")})  # fmt: skip
    format = forms.ChoiceField(label=_("形式"), choices=Format.choices, initial=Format.OFFLINE, widget=forms.RadioSelect)
    organiser = forms.ChoiceField(
        label=_("主办单位"), error_messages={"required": _("请选择主办单位"), "invalid_choice": _("请选择您可管理的单位")}
    )
    co_organisers = forms.CharField(label=_("协办单位"), max_length=300, required=False, help_text=_("多个单位用顿号分隔"))
    region = forms.ChoiceField(
        label=_("举办地区划"), error_messages={"required": _("请选择举办地区划"), "invalid_choice": _("请选择您管理范围内的区划")}
    )
    venue = forms.CharField(label=_("场馆统一编号"), max_length=30, required=False, help_text=_("在场馆举办时填写，可输入名称或编号从列表中选"),
                            widget=forms.TextInput(attrs={"list": "xh-venue-codes", "autocomplete": "off"}))  # fmt: skip
    address = forms.CharField(label=_("举办地址"), max_length=200, required=False, help_text=_("不在场馆举办的线下活动必填"))
    online_url = forms.URLField(label=_("线上链接"), max_length=300, required=False, assume_scheme="https",
                                error_messages={"invalid": _("请填写正确的网址")})  # fmt: skip
    starts_at = _datetime_field(_("开始时间"))
    ends_at = _datetime_field(_("结束时间"))
    audiences = forms.MultipleChoiceField(label=_("面向人群"), choices=Audience.choices, widget=forms.CheckboxSelectMultiple,
                                          error_messages={"required": _("请选择面向人群")})  # fmt: skip
    topics = forms.MultipleChoiceField(label=_("主题"), choices=Topic.choices, widget=forms.CheckboxSelectMultiple,
                                       help_text=_("前六项为应急科普主题"), error_messages={"required": _("请选择活动主题")})  # fmt: skip
    description = forms.CharField(label=_("活动简介"), required=False, widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    capacity = forms.IntegerField(label=_("名额"), min_value=0, max_value=100_000, initial=0, help_text=_("0 表示不限名额、无需报名"),
                                  error_messages={**REQUIRED, "min_value": _("名额不能为负数")})  # fmt: skip
    registration_opens = _datetime_field(_("报名开始"), required=False)
    registration_closes = _datetime_field(_("报名截止"), required=False)

    def __init__(self, *args: Any, brands: list[Brand], organisers: list[Organisation], regions: list[Region],
                 venues: dict[str, Venue], **kwargs: Any) -> None:  # fmt: skip
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", "——")] + [(b.code, b.name) for b in brands]
        self.fields["organiser"].choices = [("", "——")] + [(str(o.uid), o.name) for o in organisers]
        self.fields["region"].choices = [("", "——")] + [(r.code, r.display_name) for r in regions]
        self._brands = {b.code: b for b in brands}
        self._organisers = {str(o.uid): o for o in organisers}
        self._regions = {r.code: r for r in regions}
        self.venues = venues

    def clean_brand(self) -> Brand:
        return self._brands[self.cleaned_data["brand"]]

    def clean_organiser(self) -> Organisation:
        return self._organisers[self.cleaned_data["organiser"]]

    def clean_region(self) -> Region:
        return self._regions[self.cleaned_data["region"]]

    def clean_venue(self) -> Venue | None:
        code = (self.cleaned_data.get("venue") or "").strip().upper()
        if not code:
            return None
        venue = self.venues.get(code)
        if venue is None:
            raise forms.ValidationError(_("没有这个编号的场馆，或您无权选用"))
        return venue


class ReviewForm(Form):
    decision = forms.ChoiceField(label=_("审核意见"), widget=forms.RadioSelect,
                                 choices=[("approve", _("审核通过并发布")), ("return", _("退回修改"))],
                                 error_messages={"required": _("请选择审核意见")})  # fmt: skip
    reason = forms.CharField(label=_("意见说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             help_text=_("退回时必填：写明需要修改的内容"))  # fmt: skip


class CancelForm(Form):
    reason = forms.CharField(label=_("取消原因"), max_length=200, widget=forms.Textarea(attrs={"rows": 2}),
                             help_text=_("报名的群众会在“我的活动”收到这条说明"),
                             error_messages={"required": _("请填写取消原因")})  # fmt: skip


class RegistrationCancelForm(Form):
    reason = forms.CharField(label=_("取消原因"), max_length=100, error_messages={"required": _("请填写取消原因，报名人会收到通知")})


class ReportForm(Form):
    attendance = forms.IntegerField(label=_("现场参与人次"), required=False, min_value=0, max_value=10_000_000,
                                    help_text=_("线下活动必填"))  # fmt: skip
    online_views = forms.IntegerField(label=_("线上观看人次"), required=False, min_value=0, max_value=1_000_000_000,
                                      help_text=_("线上活动必填"))  # fmt: skip
    summary = forms.CharField(label=_("活动总结"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, error_messages=REQUIRED)
    photos = MultipleImageField(label=_("活动照片"), required=False, help_text=_("可多选，JPEG、PNG 或 WebP；线下活动至少一张，最多九张"))


class VerifyForm(Form):
    decision = forms.ChoiceField(label=_("核验意见"), widget=forms.RadioSelect,
                                 choices=[("verify", _("核验通过，计入品牌目标")), ("return", _("退回补充"))],
                                 error_messages={"required": _("请选择核验意见")})  # fmt: skip
    reason = forms.CharField(label=_("意见说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
                             help_text=_("退回时必填"))  # fmt: skip


class YearForm(Form):
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)


class RegistrationForm(Form):
    """Sign up for an activity: for oneself, a family, a school group, or someone else (a minor by a guardian)."""

    seats = forms.IntegerField(label=_("人数"), min_value=1, max_value=100, initial=1,
                               error_messages={"required": _("请填写人数"), "invalid": _("人数应为整数")})  # fmt: skip
    group_name = forms.CharField(label=_("学校或团体名称"), max_length=100, required=False, help_text=_("团体报名（最多 100 人）时填写"))
    group_contact = forms.CharField(label=_("带队老师电话"), max_length=20, required=False)
    participant_name = forms.CharField(label=_("参加人姓名"), max_length=50, required=False, help_text=_("为他人报名时填写"))
    participant_age = forms.IntegerField(label=_("参加人年龄"), min_value=0, max_value=120, required=False)
    guardian_name = forms.CharField(label=_("监护人姓名"), max_length=50, required=False, help_text=_("参加人未满 14 岁时必填"))
    guardian_phone = forms.CharField(label=_("监护人手机号"), max_length=20, required=False)
    guardian_consent = forms.BooleanField(label=_("我是参加人的监护人，同意其报名参加本活动"), required=False)


class CalendarFilterForm(Form):
    """The public calendar's filters; a month (from the month picker) or a from/to range of dates."""

    brand = forms.ChoiceField(label=_("品牌"), required=False)
    county = forms.ChoiceField(label=_("县市区"), required=False)
    audience = forms.ChoiceField(label=_("面向人群"), required=False, choices=[("", _("全部人群")), *Audience.choices])
    format = forms.ChoiceField(label=_("形式"), required=False, choices=[("", _("线上线下")), *Format.choices])
    month = forms.RegexField(
        label=_("月份"), required=False, regex=r"^\d{4}-(0[1-9]|1[0-2])$", widget=forms.DateInput(attrs={"type": "month"}),
        error_messages={"invalid": _("月份格式应为 2026-03")},
    )  # fmt: skip
    since = forms.DateField(label=_("从"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": _("日期格式应为 2026-03-01")})  # fmt: skip
    until = forms.DateField(label=_("到"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                            error_messages={"invalid": _("日期格式应为 2026-03-31")})  # fmt: skip

    def __init__(self, *args: Any, brands: list[Brand], counties: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [("", _("全部品牌"))] + [(b.code, b.name) for b in brands]
        self.fields["county"].choices = [("", _("全市"))] + [(r.code, r.display_name) for r in counties]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and until < since:
            self.add_error("until", _("结束日期不能早于开始日期"))
        return data

    def date_range(self) -> tuple[date | None, date | None]:
        """The chosen month, or the from/to dates; a month wins when both are given."""
        data = getattr(self, "cleaned_data", {})
        if data.get("month"):
            year, month = (int(p) for p in data["month"].split("-"))
            first = date(year, month, 1)
            following = date(year + (month == 12), month % 12 + 1, 1)
            return first, following - timedelta(days=1)
        return data.get("since"), data.get("until")


class CheckInForm(Form):
    """The code a registrant shows at the door: typed by staff, or filled in by the camera scanner (checkin.js)."""

    code = forms.CharField(label=_("签到码"), max_length=20, error_messages={"required": _("请输入签到码")},
                           widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false",
                                                         "autofocus": True, "inputmode": "text"}))  # fmt: skip
