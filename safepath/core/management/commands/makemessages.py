"""`safepath makemessages`: Django's command, reading our Jinja2 templates too (ADR 15).

Django's own extraction reads templates with the Django template lexer, which misses most of
our strings: `_()` inside macro calls (`govukPanel({"titleText": _("Request sent")})`), calls
with keyword arguments and tags spread over several lines. For any file in a `jinja2`
directory this command asks Jinja2's own extractor (`jinja2.ext.babel_extract`, part of
Jinja2: Babel itself is not needed) for the messages, and writes them as plain `gettext()` and
`ngettext()` calls on the same line numbers, so GNU xgettext files them under the template's
name and line as usual. Everything else (Python files) goes through Django unchanged.

    cd safepath && ../.venv/bin/safepath makemessages -l cy
    msgfmt --check -o locale/cy/LC_MESSAGES/django.mo locale/cy/LC_MESSAGES/django.po

GNU gettext is needed to extract and compile; running the service needs only the committed
.mo file.
"""

from __future__ import annotations

import os
from functools import cached_property
from typing import Any

from django.core.management.commands import makemessages
from jinja2.ext import babel_extract

# The same environment options safepath/jinja2.py uses, so the extractor parses as the service does.
JINJA_OPTIONS = {"trim_blocks": "true", "lstrip_blocks": "true", "newstyle_gettext": "true"}
KEYWORDS = ("_", "gettext", "ngettext")


def jinja_messages_as_python(source: str) -> str:
    """The template's messages as Python calls, each on the line of the template it comes from."""
    import io

    lines: dict[int, list[str]] = {}
    found = babel_extract(io.BytesIO(source.encode("utf-8")), KEYWORDS, [], JINJA_OPTIONS)
    for lineno, function, message, _comments in found:
        # A string, or a tuple with None for each argument that is not a string constant
        # (the count of ngettext, the keyword arguments of a newstyle call).
        strings = message if isinstance(message, tuple) else (message,)
        if function == "ngettext":
            if len(strings) < 2 or not isinstance(strings[0], str) or not isinstance(strings[1], str):
                continue
            call = f"ngettext({strings[0]!r}, {strings[1]!r}, 1)"
        elif isinstance(strings[0], str):
            call = f"gettext({strings[0]!r})"
        else:
            continue  # _(variable): nothing to extract
        lines.setdefault(lineno, []).append(call)
    total = max([source.count("\n") + 1, *lines])
    return "\n".join("; ".join(lines.get(n, [])) for n in range(1, total + 1)) + "\n"


def is_jinja_template(path: str) -> bool:
    return "jinja2" in os.path.normpath(path).split(os.sep)[:-1] and not path.endswith(".py")


class JinjaAwareBuildFile(makemessages.BuildFile):
    @cached_property
    def is_templatized(self) -> bool:
        return is_jinja_template(self.path) or super().is_templatized

    def preprocess(self) -> None:
        if not is_jinja_template(self.path):
            super().preprocess()
            return
        with open(self.path, encoding="utf-8") as source:
            content = jinja_messages_as_python(source.read())
        with open(self.work_path, "w", encoding="utf-8") as work:
            work.write(content)


class Command(makemessages.Command):
    help = makemessages.Command.help + " Jinja2 templates are read with Jinja2's own extractor."
    build_file_class = JinjaAwareBuildFile

    def handle(self, *args: Any, **options: Any) -> Any:
        # Built assets, installed packages and run-time files hold no messages of ours.
        options["ignore_patterns"] = [*options.get("ignore_patterns", []), "node_modules", "var", "static"]
        return super().handle(*args, **options)
