"""The package's shape: subpackages by stage, data flowing one way, every module documented.

The stages are layers: a module may import from its own subpackage and from the layers below
it, never from a layer above or beside it. So the data model never depends on PDFs, the PDF
facts never on pages, and pages never on the publishing pipeline that runs them.
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "enlsp_proceedings"

#: Subpackage (or top-level module) -> its layer. Lower layers know nothing of higher ones.
LAYERS = {
    "util": 0,
    "model": 1,
    "pdf": 2,
    "outputs": 3,
    "sphinxext": 4,
    "search": 4,
    "importers": 4,
    "publish": 5,
    "cli": 6,
    "__main__": 7,
    "sphinx_conf": 7,
}


def _unit(path: Path) -> str:
    rel = path.relative_to(PACKAGE).parts
    return rel[0] if len(rel) > 1 else rel[0].removesuffix(".py")


def _imports(path: Path) -> set[str]:
    """The package's own subpackages and modules this file imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "enlsp_proceedings":
            parts = node.module.split(".")
            if len(parts) > 1:
                found.add(parts[1])
            else:  # from enlsp_proceedings import x
                found.update(alias.name for alias in node.names if alias.name != "__version__")
        elif isinstance(node, ast.Import):
            found.update(a.name.split(".")[1] for a in node.names if a.name.startswith("enlsp_proceedings."))
    return found


def test_every_module_belongs_to_a_layer():
    units = {_unit(p) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py" or p.parent != PACKAGE}
    assert units <= set(LAYERS), f"new subpackages or modules need a layer in LAYERS: {sorted(units - set(LAYERS))}"


def test_data_flows_one_way():
    wrong = []
    for path in sorted(PACKAGE.rglob("*.py")):
        unit = _unit(path)
        if unit == "__init__":
            continue
        for target in _imports(path) - {unit}:
            if LAYERS[target] >= LAYERS[unit]:
                wrong.append(f"{path.relative_to(PACKAGE)} ({unit}, layer {LAYERS[unit]}) imports {target} (layer {LAYERS[target]})")
    assert not wrong, "\n".join(wrong)


def test_the_layer_test_can_fail(tmp_path):
    """A module of the data model importing the PDF stage is caught (the check is not vacuous)."""
    module = PACKAGE / "model" / "schema.py"
    assert "pdf" not in _imports(module)
    bad = tmp_path / "bad.py"
    bad.write_text("from enlsp_proceedings.pdf.facts import PdfFacts\nfrom enlsp_proceedings import publish\n")
    assert _imports(bad) == {"pdf", "publish"}


def _undocumented(body: list[ast.stmt], prefix: str = "") -> list[str]:
    """Public functions and classes (and their public methods) without a docstring."""
    missing = []
    for node in body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and not node.name.startswith("_"):
            if ast.get_docstring(node) is None:
                missing.append(f"{prefix}{node.name}")
            if isinstance(node, ast.ClassDef):
                missing += _undocumented(node.body, f"{node.name}.")
    return missing


def test_every_module_and_public_function_has_a_docstring():
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        name = str(path.relative_to(PACKAGE))
        if ast.get_docstring(tree) is None and path.name != "conf.py":
            missing.append(name)
        missing += [f"{name}: {what}" for what in _undocumented(tree.body)]
    assert not missing, f"{len(missing)} without a docstring:\n" + "\n".join(missing)
