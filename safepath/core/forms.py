from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """Put a service's validation errors beside the matching fields (or at the top)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def posted(request: object) -> object:
    """The POST data when the form was submitted, else None (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None  # type: ignore[attr-defined]
