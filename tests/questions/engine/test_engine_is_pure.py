"""The scoring engine must stay plain Python: no Django or Wagtail imports, ever."""

import ast
from pathlib import Path

import pytest

ENGINE = Path(__file__).resolve().parents[3] / "questions" / "engine"
FORBIDDEN = ("django", "wagtail", "modelsearch", "rest_framework")
OWN_MODULES = ["types.py", "scoring.py"]


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


@pytest.mark.parametrize(
    "filename",
    OWN_MODULES + [p.name for p in sorted(ENGINE.glob("*.py")) if p.name not in OWN_MODULES],
)
def test_engine_module_imports_no_framework(filename):
    path = ENGINE / filename
    if not path.exists():
        pytest.skip(f"{filename} not written yet")
    bad = sorted(m for m in _imported_modules(path) if m.split(".")[0] in FORBIDDEN)
    assert not bad, f"{filename} imports {bad}"
