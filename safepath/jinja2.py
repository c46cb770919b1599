"""The Jinja2 environment: GOV.UK Frontend macros plus the few globals our templates need."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.messages import get_messages
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from jinja2 import ChoiceLoader, Environment, PackageLoader, PrefixLoader


def url(name: str, *args: Any, **kwargs: Any) -> str:
    return reverse(name, args=args or None, kwargs=kwargs or None)


def localtime(value: Any, fmt: str = "%-d %b %Y %H:%M") -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime(fmt)


def choice_items(field: Any, multiple: bool = False, select: bool = False) -> list[dict[str, Any]]:
    """Turn a bound Django choice field into the items list the GOV.UK macros expect."""
    value = field.value()
    chosen = {str(v) for v in value} if multiple and value else {str(value)} if value is not None else set()
    items = []
    for index, (choice_value, label) in enumerate(field.field.choices):
        choice_value = "" if choice_value is None else str(getattr(choice_value, "value", choice_value))
        item: dict[str, Any] = {"value": choice_value, "text": str(label)}
        if select:
            item["selected"] = choice_value in chosen
        else:
            item["checked"] = choice_value in chosen
            first_id = field.auto_id or field.html_name
            item["id"] = first_id if index == 0 else f"{first_id}-{index}"
        items.append(item)
    return items


def environment(**options: Any) -> Environment:
    app_loader = options.pop("loader", None)
    if app_loader is None:
        from jinja2 import FileSystemLoader

        app_loader = FileSystemLoader([])
    options["loader"] = ChoiceLoader(
        [
            app_loader,
            PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
        ]
    )
    options.setdefault("extensions", []).append("jinja2.ext.i18n")
    options["autoescape"] = True
    options["trim_blocks"] = True
    options["lstrip_blocks"] = True
    env = Environment(**options)  # noqa: S701 - autoescape is set True above
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.globals.update(
        url=url,
        choice_items=choice_items,
        static=static,
        get_messages=get_messages,
        settings=settings,
        service_name=settings.SAFEPATH_SERVICE_NAME,
    )
    env.filters["localtime"] = localtime
    return env
