from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.regions.models import Region
from xinghuo.venues.models import Audience, VenueStatus, VenueType


class MapFilterForm(Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=50)
    type = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *VenueType.choices])
    region = forms.ChoiceField(label=_("县市区"), required=False)
    audience = forms.ChoiceField(label=_("服务对象"), required=False, choices=[("", _("全部对象")), *Audience.choices])
    open_now = forms.BooleanField(label=_("此刻开放"), required=False)

    def __init__(self, *args: Any, counties: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全市"))] + [(r.code, r.display_name) for r in counties]


class VenueFilterForm(Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=50)
    type = forms.ChoiceField(label=_("类型"), required=False, choices=[("", _("全部类型")), *VenueType.choices])
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部状态")), *VenueStatus.choices])
    region = forms.ChoiceField(label=_("区划"), required=False)

    def __init__(self, *args: Any, regions: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("全部区划"))] + [(r.code, r.display_name) for r in regions]
