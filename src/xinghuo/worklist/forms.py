from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xinghuo.core.forms import Form
from xinghuo.worklist import units as unit_list
from xinghuo.worklist.attachments import ACCEPT
from xinghuo.worklist.models import Action, ActionStatus, Plan, Task
from xinghuo.worklist.services import TargetSpec

FILES_HELP = _("PDF、Word、Excel、PowerPoint 文件或 JPEG、PNG 图片，每个不超过 20 MB；照片上传时去除拍摄位置等信息")
FILE_ERRORS = {"empty": _("上传的文件是空的"), "invalid": _("上传的不是文件，请重新选择"), "missing": _("没有收到文件，请重新选择")}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each cleaned as a FileField, the content checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        kwargs.setdefault("required", False)
        kwargs.setdefault("error_messages", FILE_ERRORS)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class ActionForm(Form):
    status = forms.ChoiceField(label=_("状态"), choices=ActionStatus.choices)
    progress = forms.IntegerField(label=_("进度（%）"), min_value=0, max_value=100,
                                  error_messages={"required": _("请填写进度"), "min_value": _("进度请填写 0 到 100 之间的整数"),
                                                  "max_value": _("进度请填写 0 到 100 之间的整数")})  # fmt: skip
    note = forms.CharField(label=_("进展说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class FilingForm(Form):
    title = forms.CharField(label=_("实施方案名称"), max_length=200, error_messages={"required": _("请填写实施方案名称")})
    content = forms.CharField(label=_("主要内容"), widget=forms.Textarea(attrs={"rows": 10}), max_length=20000,
                              error_messages={"required": _("请填写实施方案的主要内容")})  # fmt: skip
    document = forms.FileField(label=_("实施方案文件"), required=False, widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
                               help_text=_("印发的实施方案（PDF 或 Word）；再次上传即替换原文件"), error_messages=FILE_ERRORS)  # fmt: skip
    files = MultipleFileField(label=_("佐证材料"), help_text=FILES_HELP)


class DecisionForm(Form):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class FilingDueForm(Form):
    filing_due = forms.DateField(label=_("备案截止日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}),
                                 help_text=_("留空则不设截止日期"), error_messages={"invalid": _("请填写正确的日期")})  # fmt: skip


class ReportForm(Form):
    """The progress report template: the period's sections, and photos or documents."""

    text = forms.CharField(label=_("本期完成情况"), required=False, widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    progress = forms.IntegerField(label=_("量化进展（进度%）"), required=False, min_value=0, max_value=100,
                                  help_text=_("报送后即为本单位这项任务的进度"),
                                  error_messages={"invalid": _("进度请填写 0 到 100 之间的整数"), "min_value": _("进度请填写 0 到 100 之间的整数"),
                                                  "max_value": _("进度请填写 0 到 100 之间的整数")})  # fmt: skip
    problems = forms.CharField(label=_("存在问题"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    next_steps = forms.CharField(label=_("下步计划"), required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)
    files = MultipleFileField(label=_("照片和材料"), help_text=FILES_HELP)


class NoticeForm(Form):
    organisation = forms.CharField(label=_("督办对象"), max_length=100, help_text=_("单位全称或机构代码"),
                                   error_messages={"required": _("请填写督办对象")})  # fmt: skip
    text = forms.CharField(label=_("督办事项"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                           error_messages={"required": _("请填写督办事项")})  # fmt: skip
    answer_by = forms.DateField(label=_("回复期限"), widget=forms.DateInput(attrs={"type": "date"}),
                                error_messages={"required": _("请填写回复期限")})  # fmt: skip


class AnswerForm(Form):
    answer = forms.CharField(label=_("回复"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                             error_messages={"required": _("请填写回复")})  # fmt: skip
    files = MultipleFileField(label=_("附件"), help_text=FILES_HELP)


# --- plans and tasks (city staff) ---------------------------------------------------------------------------------

REPORT_EVERY_CHOICES = [("", _("不定期")), ("month", _("每月")), ("quarter", _("每季度"))]
PER_CHOICES = [("year", _("每年")), ("", _("整个任务期"))]
WEIGHT_ERRORS = {"invalid": _("权重请填写数字"), "min_value": _("权重应大于 0（不填则按 1 计）"),
                 "max_digits": _("权重最多 4 位整数、2 位小数"), "max_decimal_places": _("权重最多 2 位小数"),
                 "max_whole_digits": _("权重最多 4 位整数、2 位小数")}  # fmt: skip
NUMBER_ERRORS = {"invalid": _("请填写数字"), "min_value": _("数值不能为负数"), "max_digits": _("数值太大"),
                 "max_decimal_places": _("最多 2 位小数"), "max_whole_digits": _("数值太大")}  # fmt: skip


class PlanForm(Form):
    code = forms.SlugField(label=_("方案代码"), max_length=40, help_text=_("用于网址：字母、数字、连字符，如 spark-2025；保存后不再修改"),
                           error_messages={"required": _("请填写方案代码"), "invalid": _("方案代码只能由字母、数字、连字符和下划线组成")})  # fmt: skip
    title = forms.CharField(label=_("方案名称"), max_length=200, error_messages={"required": _("请填写方案名称")})
    issued = forms.CharField(label=_("印发时间"), max_length=10, required=False, help_text=_("如 2024 或 2024-05"))


class TaskForm(Form):
    """A task's fields; its responsible units ticked one by one or a whole kind at once (units.groups), and any other
    unit of the city by name or code. On a new task also its code and its parent, a task of the same plan."""

    parent = forms.ChoiceField(label=_("上级任务"), required=False, help_text=_("留空为一级任务；选择后为其分项任务"))
    code = forms.CharField(label=_("编号"), max_length=40, help_text=_("全市唯一，如 A-4.2.3；保存后不再修改"),
                           error_messages={"required": _("请填写任务编号")})  # fmt: skip
    title = forms.CharField(label=_("任务"), max_length=200, error_messages={"required": _("请填写任务名称")})
    text = forms.CharField(label=_("原文"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10000,
                           error_messages={"required": _("请填写任务原文")})  # fmt: skip
    section = forms.CharField(
        label=_("所属部分"), max_length=200, required=False, help_text=_("如：四、重点工作（一）持续优化升级已开展工作")
    )
    lead = forms.CharField(label=_("牵头部门"), max_length=200, required=False, help_text=_("多个用“、”分隔"))
    units = forms.MultipleChoiceField(label=_("负责落实单位"), required=False, widget=forms.CheckboxSelectMultiple)
    unit_kinds = forms.MultipleChoiceField(label=_("整类选择"), required=False, widget=forms.CheckboxSelectMultiple,
                                           choices=list(unit_list.GROUP_LABELS.items()))  # fmt: skip
    other_units = forms.CharField(label=_("其他单位"), max_length=1000, required=False,
                                  help_text=_("上面未列出的本市单位（如学校、场馆运营单位）：填写全称或机构代码，多个用“、”分隔"))  # fmt: skip
    units_text = forms.CharField(label=_("方案所列负责落实单位"), max_length=300, required=False,
                                 help_text=_("按方案原文填写，可含平台外的单位；留空则按所选单位生成"))  # fmt: skip
    period = forms.CharField(label=_("时限"), max_length=40, required=False, help_text=_("如：每年、2025 年底前"))
    weight = forms.DecimalField(label=_("权重"), max_digits=6, decimal_places=2, min_value=Decimal("0.01"), required=False,
                                help_text=_("在同级任务中的权重，不填按 1 计"), error_messages=WEIGHT_ERRORS)  # fmt: skip
    report_every = forms.ChoiceField(label=_("进展报送"), choices=REPORT_EVERY_CHOICES, required=False,
                                     help_text=_("每月或每季度：各负责单位按期在报送模板上报送进展"))  # fmt: skip

    def __init__(self, *args: Any, plan: Plan, task: Task | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listed = {str(org.uid): org for org in unit_list.listed()}
        self.fields["units"].choices = [(uid, str(org)) for uid, org in self.listed.items()]
        if task is not None:  # editing: the code and the place in the plan stay
            del self.fields["parent"], self.fields["code"]
            self.parents: dict[str, Task] = {}
        else:
            self.parents = {str(t.uid): t for t in Task.objects.filter(plan=plan).order_by("order", "id")}
            self.fields["parent"].choices = [("", _("无（一级任务）")), *((uid, f"{t.code} {t.title}") for uid, t in self.parents.items())]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        chosen = [self.listed[uid] for uid in data.get("units", [])]
        kinds = set(data.get("unit_kinds", []))
        chosen += [org for org in self.listed.values() if org.kind in kinds]
        found, unknown = unit_list.find(data.get("other_units", ""))
        if unknown:
            self.add_error(
                "other_units", _("找不到单位：%(names)s（请填写全称或机构代码；同名的单位请填写机构代码）") % {"names": "、".join(unknown)}
            )
        data["unit_list"] = list(dict.fromkeys(chosen + found))
        if "parent" in self.fields:
            data["parent"] = self.parents.get(data.get("parent") or "")
        return data

    def task_data(self) -> dict[str, Any]:
        """The cleaned fields as the services take them."""
        data = self.cleaned_data
        keys = ["title", "text", "section", "lead", "period", "weight", "report_every", "units_text"]
        out = {k: data.get(k) or ("" if k != "weight" else None) for k in keys}
        out["units"] = data["unit_list"]
        if "code" in self.fields:
            out.update(code=data["code"], parent=data.get("parent"))
        return out


class TargetForm(Form):
    """One row of a task's measurable targets; a row without words is left out."""

    uid = forms.CharField(required=False, widget=forms.HiddenInput)
    text = forms.CharField(label=_("目标"), max_length=200, required=False, widget=forms.TextInput(attrs={"class": "xh-target-text"}))
    minimum = forms.DecimalField(label=_("下限"), max_digits=12, decimal_places=2, min_value=0, required=False,
                                 error_messages=NUMBER_ERRORS, widget=forms.NumberInput(attrs={"class": "xh-target-number"}))  # fmt: skip
    maximum = forms.DecimalField(label=_("上限"), max_digits=12, decimal_places=2, min_value=0, required=False,
                                 error_messages=NUMBER_ERRORS, widget=forms.NumberInput(attrs={"class": "xh-target-number"}))  # fmt: skip
    unit = forms.CharField(label=_("单位"), max_length=20, required=False, widget=forms.TextInput(attrs={"class": "xh-target-number"}))
    per = forms.ChoiceField(label=_("周期"), choices=PER_CHOICES, required=False, initial="year")
    indicator = forms.ChoiceField(label=_("对应指标"), required=False)

    def __init__(self, *args: Any, indicators: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["indicator"].choices = [("", _("不对应指标")), *indicators]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if not data.get("text") and any(data.get(k) not in (None, "") for k in ("minimum", "maximum", "unit", "indicator")):
            self.add_error("text", _("请填写目标"))
        low, high = data.get("minimum"), data.get("maximum")
        if low is not None and high is not None and low > high:
            self.add_error("maximum", _("上限不能小于下限"))
        return data


class TargetRows(forms.BaseFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"


TargetFormSet = forms.formset_factory(TargetForm, formset=TargetRows, extra=2, max_num=30, validate_max=True, can_delete=True)


def target_specs(formset: Any) -> list[TargetSpec]:
    """The targets of a valid formset, rows without words and rows marked for deletion left out."""
    specs = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or data.get("DELETE") or not data.get("text"):
            continue
        specs.append(TargetSpec(text=data["text"], minimum=data.get("minimum"), maximum=data.get("maximum"), unit=data.get("unit", ""),
                                per=data.get("per", ""), indicator=data.get("indicator", ""), uid=data.get("uid", "")))  # fmt: skip
    return specs


class WeightsForm(Form):
    """A weight for each action of a task (blank: counts as 1), one field per action named by its uid."""

    def __init__(self, *args: Any, actions: list[Action], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for action in actions:
            self.fields[f"w-{action.uid}"] = forms.DecimalField(
                label=str(action.organisation), max_digits=6, decimal_places=2, min_value=Decimal("0.01"), required=False,
                initial=action.weight, error_messages=WEIGHT_ERRORS,
            )  # fmt: skip

    def weights(self) -> dict[str, Decimal | None]:
        return {name.removeprefix("w-"): value for name, value in self.cleaned_data.items()}
