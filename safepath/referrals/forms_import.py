"""The upload form for a bulk referral import (hub staff)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


def max_upload_bytes() -> int:
    return int(getattr(settings, "SAFEPATH_IMPORT_MAX_BYTES", DEFAULT_MAX_BYTES))


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.3g} MB"
    return f"{size // 1024} KB" if size >= 1024 else f"{size} bytes"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Upload a referrals file"),
        error_messages={
            "required": gettext_lazy("Select a CSV file"),
            "empty": gettext_lazy("The selected file is empty"),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_bytes = max_upload_bytes()
        self.fields["file"].help_text = _(
            "A CSV file (UTF-8) with one header row, in the columns of the referral import format. Up to %(size)s."
        ) % {"size": size_text(self.max_bytes)}

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if not (upload.name or "").lower().endswith(".csv"):
            raise forms.ValidationError(_("The selected file must be a CSV file (ending .csv)"))
        if upload.size is not None and upload.size > self.max_bytes:
            raise forms.ValidationError(
                _("The selected file must be smaller than %(size)s") % {"size": size_text(self.max_bytes)}
            )
        return upload
