from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.core.phones import MOBILE_PATTERN


class LoginForm(Form):
    username = forms.CharField(label=_("用户名或手机号"), max_length=50, error_messages={"required": _("请输入用户名或手机号")})
    password = forms.CharField(
        label=_("密码"), widget=forms.PasswordInput(render_value=False), max_length=128,
        error_messages={"required": _("请输入密码")},
    )  # fmt: skip


class OTPForm(Form):
    token = forms.RegexField(
        label=_("动态口令"), regex=r"^[0-9]{6}$", max_length=6,
        error_messages={"required": _("请输入 6 位动态口令"), "invalid": _("动态口令是 6 位数字")},
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )  # fmt: skip


class PasswordChangeForm(Form):
    old_password = forms.CharField(label=_("原密码"), widget=forms.PasswordInput, error_messages={"required": _("请输入原密码")})
    new_password = forms.CharField(label=_("新密码"), widget=forms.PasswordInput, error_messages={"required": _("请输入新密码")})
    new_password2 = forms.CharField(label=_("确认新密码"), widget=forms.PasswordInput, error_messages={"required": _("请再次输入新密码")})

    def clean(self):
        data = super().clean()
        if data.get("new_password") and data.get("new_password2") and data["new_password"] != data["new_password2"]:
            self.add_error("new_password2", _("两次输入的新密码不一致"))
        return data


class RegisterForm(Form):
    phone = forms.RegexField(
        label=_("手机号"), regex=MOBILE_PATTERN, max_length=11,
        error_messages={"required": _("请输入手机号"), "invalid": _("请输入 11 位中国大陆手机号")},
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )  # fmt: skip
    name = forms.CharField(label=_("姓名（选填）"), max_length=50, required=False)
    password = forms.CharField(label=_("密码"), widget=forms.PasswordInput, error_messages={"required": _("请设置密码")})
    password2 = forms.CharField(label=_("确认密码"), widget=forms.PasswordInput, error_messages={"required": _("请再次输入密码")})
    consent = forms.BooleanField(
        label=_("我已阅读并同意《个人信息保护说明》"), error_messages={"required": _("请阅读并同意个人信息保护说明")}
    )

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password2") and data["password"] != data["password2"]:
            self.add_error("password2", _("两次输入的密码不一致"))
        return data
