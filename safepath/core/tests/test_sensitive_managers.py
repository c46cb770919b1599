"""Views must reach sensitive records through scoped selectors (STYLE.md point 9).

Fails the build when any views module mentions `<SensitiveModel>.objects` or
`._default_manager` directly. A model is sensitive when it sets `SENSITIVE = True`.
"""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parents[2]


def sensitive_model_names() -> set[str]:
    return {m.__name__ for m in apps.get_models() if getattr(m, "SENSITIVE", False)}


def view_modules() -> list[Path]:
    return [
        p for p in ROOT.rglob("*.py") if p.name == "views.py" or p.name.startswith("views_") or p.parent.name == "views"
    ]


def direct_manager_uses(source: str, label: str, names: set[str]) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in names
        ):
            found.append(f"{label}:{node.lineno} {node.value.id}.{node.attr}")
    return found


def test_it_knows_the_sensitive_models():
    assert {"User", "AuditEvent"} <= sensitive_model_names()


def test_it_finds_no_view_touching_a_sensitive_manager():
    names = sensitive_model_names()
    offences = [
        hit
        for path in view_modules()
        for hit in direct_manager_uses(path.read_text(), str(path.relative_to(ROOT)), names)
    ]
    assert offences == [], "use a scoped selector instead:\n" + "\n".join(offences)


def test_it_would_catch_an_offence():
    source = "def v(request):\n    return User.objects.all()\n\ndef w(request):\n    return Area.objects.all()\n"
    assert direct_manager_uses(source, "views.py", {"User"}) == ["views.py:2 User.objects"]
