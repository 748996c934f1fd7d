"""The package's shape: subpackages by stage, data flowing one way, every module documented.

The stages are layers: a module may import from its own subpackage and from the layers below
it, never from a layer above or beside it. So the data model never depends on PDFs, the PDF
facts never on pages, and pages never on the publishing pipeline that runs them.
"""

from __future__ import annotations

import ast
import importlib
import re
from pathlib import Path

from conftest import REPO

PACKAGE = REPO / "src" / "enlsp_proceedings"

#: Subpackage (or top-level module) -> its layer. Lower layers know nothing of higher ones.
LAYERS = {
    "util": 0,
    "paths": 0,
    "errors": 0,
    "model": 1,
    "pdf": 2,
    "outputs": 3,
    "sphinxext": 4,
    "search": 4,
    "importers": 4,
    "publish": 5,
    "cli": 6,
    "__main__": 7,
    "serve": 7,
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


#: A string that names a place on the site: a path in one of its folders, a page, a download.
_SITE_PATH = re.compile(r"^(?:papers|keynotes|authors|all|_static|_images|_sources|pagefind)/"
                        r"|^[\w-]+\.(?:html|ics|bib|ris|csl\.json)$|^(?:papers|proceedings|editions)\.(?:json|schema\.json)$")
#: Strings that look like site paths and are not: Jinja templates (`templates/`), and Sphinx's own
#: index page, which the series keeps out of the old addresses.
_NOT_SITE_PATHS = {"enlsp-search.html", "webpack-macros.html", "genindex.html"}


def _site_paths(path: Path, root: Path = PACKAGE) -> list[str]:
    """The site paths spelled in a module's code (docstrings and comments may name them)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = {id(node.body[0].value) for node in ast.walk(tree)
            if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body
            and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    skip |= {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            text = node.value
        elif isinstance(node, ast.JoinedStr) and node.values and isinstance(node.values[0], ast.Constant):
            text = str(node.values[0].value)  # f"papers/{id}.pdf"
        else:
            continue
        if _SITE_PATH.search(text) and text not in _NOT_SITE_PATHS:
            found.append(f"{path.relative_to(root)}:{node.lineno}: {text!r}")
    return found


def test_every_site_path_is_spelled_in_paths_only():
    """One source of truth: a page's or a file's place on the site is asked of `paths`, so a
    move is one edit there (conf/ file names such as ``papers.yaml`` are not site paths)."""
    spelled = [hit for path in sorted(PACKAGE.rglob("*.py")) if path != PACKAGE / "paths.py" for hit in _site_paths(path)]
    assert spelled == [], "\n".join(spelled)


def test_the_site_path_test_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('"""Writes papers/index.html."""\nA = "keynotes/index"\nB = f"papers/{x}.pdf"\nC = "proceedings.bib"\nD = "papers.yaml"\n')
    hits = sorted(hit.partition(": ")[2] for hit in _site_paths(bad, tmp_path))
    assert hits == ["'keynotes/index'", "'papers/'", "'proceedings.bib'"]


#: A reference in a docstring or comment to a name of the package, from its top: `publish.series.build_series`.
_REFERENCE = re.compile(r"`((?:" + "|".join(sorted(LAYERS)) + r")(?:\.[A-Za-z_]\w*)+)`")


def _resolves(reference: str) -> bool:
    """Whether ``model.schema.Paper.title`` names a module of the package, then attributes (or fields) of it."""
    parts = reference.split(".")
    for split in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(["enlsp_proceedings", *parts[:split]]))
        except ImportError:
            continue
        for name in parts[split:]:
            fields = getattr(obj, "model_fields", None) or getattr(obj, "__dataclass_fields__", None) or {}
            if name in fields:
                return True  # a field of a model or a dataclass: no attribute on the class
            if not hasattr(obj, name):
                return False
            obj = getattr(obj, name)
        return True
    return False


def test_every_name_a_docstring_or_comment_gives_from_the_packages_top_exists():
    """No stale names: a module, function or class a docstring names by its path in the package
    (`publish.series.build_series`) exists under that name."""
    stale = []
    for path in sorted(PACKAGE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        for match in _REFERENCE.finditer(text):
            reference = match.group(1)
            if not reference.endswith((".py", ".yaml", ".html", ".json")) and not _resolves(reference):
                stale.append(f"{path.relative_to(PACKAGE)}:{text.count(chr(10), 0, match.start()) + 1}: {reference}")
    assert stale == [], "\n".join(stale)


def test_a_stale_name_is_found():
    assert _resolves("publish.series.build_series") and _resolves("model.schema.Paper.title") and _resolves("paths.paper_page")
    assert not _resolves("outputs.paths.paper_page") and not _resolves("util.text.ascii_fold") and not _resolves("publish.render")


def test_every_error_a_user_can_fix_shares_one_base_and_never_ends_in_a_traceback(monkeypatch, capsys, tmp_path):
    from enlsp_proceedings import cli
    from enlsp_proceedings.errors import UserError
    from enlsp_proceedings.importers.records import ExportError
    from enlsp_proceedings.model.load import ConfError, Problem
    from enlsp_proceedings.pdf.check_series import UnknownEditionError
    from enlsp_proceedings.publish.errors import BuildError

    assert all(issubclass(kind, UserError) for kind in (ConfError, BuildError, ExportError, UnknownEditionError))
    problems = [Problem("papers.yaml", 3, "papers[0].title", "is empty"), Problem("workshop.yaml", 1, "", "date is missing")]
    assert ConfError(problems).lines() == [str(p) for p in problems]

    def unexpected(args):  # a command that lets a user error through
        raise ExportError("the export has no 'Paper ID' column\nit has: Title, Authors")

    monkeypatch.setattr(cli, "cmd_check", unexpected)
    assert cli.main(["check", "--conf", str(tmp_path)]) == 1
    assert capsys.readouterr().err == "error: the export has no 'Paper ID' column\nerror: it has: Title, Authors\n"
