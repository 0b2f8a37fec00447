from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.portal.models import NewsCategory, NewsStatus


class NewsForm(Form):
    title = forms.CharField(label=_("标题"), max_length=120, error_messages={"required": _("请填写标题")})
    category = forms.ChoiceField(label=_("栏目"), choices=NewsCategory.choices)
    summary = forms.CharField(label=_("摘要"), max_length=300, required=False, widget=forms.Textarea(attrs={"rows": 2}))
    body = forms.CharField(label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}), error_messages={"required": _("请填写正文")})


class NewsFilterForm(Form):
    q = forms.CharField(label=_("标题"), required=False, max_length=50)
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *NewsStatus.choices])
