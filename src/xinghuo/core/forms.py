"""Form conventions: Bootstrap classes on every widget, the invalid state on fields with errors, and
DomainError messages from services placed next to their field."""

from __future__ import annotations

from typing import Any

from django import forms

from xinghuo.core.errors import DomainError


class StyledFormMixin:
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, (forms.CheckboxInput, forms.CheckboxSelectMultiple, forms.RadioSelect)):
                css = "form-check-input"
            elif isinstance(widget, forms.Select):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in getattr(self, "errors", {}):
            if name in self.fields:  # type: ignore[attr-defined]
                widget = self.fields[name].widget  # type: ignore[attr-defined]
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"

    def add_domain_error(self, exc: DomainError) -> None:
        field = exc.field if exc.field in self.fields else None  # type: ignore[attr-defined]
        self.add_error(field, exc.message)  # type: ignore[attr-defined]


class Form(StyledFormMixin, forms.Form):
    pass


class ModelForm(StyledFormMixin, forms.ModelForm):
    pass
