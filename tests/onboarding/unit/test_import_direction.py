"""Imports point into onboarding: sanctions and payments plug in by registration, onboarding never imports
them (ARCHITECTURE.md)."""

import ast
from pathlib import Path

import pytest

ONBOARDING = Path(__file__).resolve().parents[3] / "onboarding"


def imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", ["payments", "sanctions"])
def test_onboarding_never_imports_the_apps_that_plug_into_it(app):
    offenders = {
        str(path.relative_to(ONBOARDING.parent)): sorted(m for m in imported_modules(path) if m.split(".")[0] == app)
        for path in ONBOARDING.rglob("*.py")
    }
    assert {path: found for path, found in offenders.items() if found} == {}
