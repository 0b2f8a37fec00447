from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.regions.models import Region
from xinghuo.tours.models import MAX_GROUPS_PER_DAY, MAX_PARTY, MAX_STOPS, RouteStatus, Theme, Trail
from xinghuo.tours.services import StopSpec
from xinghuo.venues.models import Audience, Venue


class RouteFilterForm(Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *RouteStatus.choices])


class RouteForm(Form):
    name = forms.CharField(label=_("线路名称"), max_length=120, error_messages={"required": _("请填写线路名称")})
    slug = forms.SlugField(label=_("网址简称"), max_length=60, required=False,
                           help_text=_("可选：英文字母、数字和连字符，如 taishan-geology；留空则用编号"),
                           error_messages={"invalid": _("网址简称只能用英文字母、数字、连字符和下划线")})  # fmt: skip
    summary = forms.CharField(label=_("简介"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    operator = forms.ChoiceField(
        label=_("运营单位"), error_messages={"required": _("请选择运营单位"), "invalid_choice": _("请选择您可管理的机构")}
    )
    region = forms.ChoiceField(
        label=_("所属区划"), error_messages={"required": _("请选择所属区划"), "invalid_choice": _("请选择您管理范围内的区划")}
    )
    audiences = forms.MultipleChoiceField(
        label=_("服务对象"), required=False, choices=Audience.choices, widget=forms.CheckboxSelectMultiple
    )
    group_min = forms.IntegerField(label=_("建议团队人数（下限）"), min_value=1, max_value=MAX_PARTY, initial=20)
    group_max = forms.IntegerField(label=_("建议团队人数（上限）"), min_value=1, max_value=MAX_PARTY, initial=50)
    max_groups_per_day = forms.IntegerField(label=_("每日接待团队数"), min_value=1, max_value=MAX_GROUPS_PER_DAY, initial=2)

    def __init__(self, *args: Any, operators: list, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["operator"].choices = [("", "——")] + [(str(o.uid), o.name) for o in operators]
        self.fields["region"].choices = [("", "——")] + [(r.code, r.display_name) for r in regions]
        self._operators = {str(o.uid): o for o in operators}
        self._regions = {r.code: r for r in regions}

    def clean_operator(self):
        return self._operators[self.cleaned_data["operator"]]

    def clean_region(self):
        return self._regions[self.cleaned_data["region"]]


class StopForm(Form):
    venue = forms.CharField(label=_("场馆统一编号"), max_length=30, required=False,
                            widget=forms.TextInput(attrs={"list": "xh-venue-codes", "autocomplete": "off"}))  # fmt: skip
    minutes = forms.IntegerField(label=_("停留（分钟）"), min_value=5, max_value=600, required=False)
    notes = forms.CharField(label=_("说明"), max_length=300, required=False)


StopFormSet = forms.formset_factory(StopForm, extra=3, max_num=MAX_STOPS, validate_max=True)


def stops_from(formset: Any, venues: dict[str, Venue]) -> list[StopSpec] | None:
    """The filled lines, in order, as stops; None (with the errors put on the lines) when a line is wrong."""
    stops, ok = [], True
    for form in formset.forms:
        data = form.cleaned_data
        code = (data.get("venue") or "").strip().upper()
        if not code:
            continue
        venue = venues.get(code)
        if venue is None:
            form.add_error("venue", _("没有这个编号的场馆，或您无权选用"))
            ok = False
            continue
        if not data.get("minutes"):
            form.add_error("minutes", _("请填写停留时长"))
            ok = False
            continue
        stops.append(StopSpec(venue=venue, minutes=data["minutes"], notes=data.get("notes", "")))
    return stops if ok else None


class RouteBookingForm(Form):
    date = forms.DateField(label=_("研学日期"), widget=forms.DateInput(attrs={"type": "date"}),
                           error_messages={"required": _("请选择日期"), "invalid": _("日期格式不正确")})  # fmt: skip
    group_name = forms.CharField(label=_("学校或团体名称"), max_length=100, error_messages={"required": _("请填写学校或团体名称")})
    party_size = forms.IntegerField(label=_("人数（含带队老师）"), min_value=1, max_value=MAX_PARTY,
                                    error_messages={"required": _("请填写人数"), "invalid": _("人数应为整数")})  # fmt: skip
    contact_name = forms.CharField(label=_("带队老师"), max_length=50, error_messages={"required": _("请填写带队老师姓名")})
    contact_phone = forms.CharField(label=_("老师电话"), max_length=20, error_messages={"required": _("请填写老师电话")})
    note = forms.CharField(label=_("备注"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class TaiPointForm(Form):
    name = forms.CharField(label=_("名称"), max_length=80, error_messages={"required": _("请填写名称")})
    trail = forms.ChoiceField(label=_("登山线路"), choices=[("", "——"), *Trail.choices], error_messages={"required": _("请选择登山线路")})
    position = forms.IntegerField(label=_("沿线顺序"), min_value=1, max_value=999, required=False, help_text=_("留空则排在该线路最后"))
    theme = forms.ChoiceField(label=_("主题"), choices=[("", "——"), *Theme.choices], error_messages={"required": _("请选择主题")})
    body = forms.CharField(label=_("科普解说"), widget=forms.Textarea(attrs={"rows": 6}), error_messages={"required": _("请填写科普解说")})
    picture = forms.ImageField(label=_("图片"), required=False, help_text=_("JPEG、PNG 或 WebP，不超过 15 MB；上传后自动缩放并去除元数据"),
                               error_messages={"invalid_image": _("请上传 JPEG、PNG 或 WebP 图片")},
                               widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))  # fmt: skip
    picture_caption = forms.CharField(label=_("图片说明"), max_length=120, required=False)
    lat = forms.FloatField(label=_("纬度（WGS-84）"), min_value=3.0, max_value=54.0,
                           error_messages={"required": _("请填写纬度"), "invalid": _("纬度应为数字")})  # fmt: skip
    lon = forms.FloatField(label=_("经度（WGS-84）"), min_value=73.0, max_value=136.0,
                           error_messages={"required": _("请填写经度"), "invalid": _("经度应为数字")})  # fmt: skip
    elevation_m = forms.IntegerField(label=_("海拔（米）"), min_value=0, max_value=9000, required=False)
    region = forms.ChoiceField(
        label=_("所在乡镇（街道）"), error_messages={"required": _("请选择所在区划"), "invalid_choice": _("请选择您管理范围内的区划")}
    )
    is_published = forms.BooleanField(label=_("向游客公开"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "——")] + [(r.code, r.display_name) for r in regions]
        self._regions = {r.code: r for r in regions}

    def clean_region(self):
        return self._regions[self.cleaned_data["region"]]
