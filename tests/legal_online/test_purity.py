"""The pure modules must not import Django or Wagtail."""

import ast
from pathlib import Path

import pytest

import legal_online

PURE = ["workflow", "deadlines", "figures", "ratelimit"]


@pytest.mark.parametrize("name", PURE)
def test_module_has_no_framework_imports(name):
    source = Path(legal_online.__file__).with_name(f"{name}.py").read_text()
    for node in ast.walk(ast.parse(source)):
        names = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for imported in names:
            assert imported.split(".")[0] not in {"django", "wagtail", "rest_framework"}, imported
