"""The import layering of the `coalition` package, read from the code with `ast` (nothing is imported or run).

Layers, lowest first (README, "Layout"): `core` knows no domain; each domain imports only `core` and the domains
below it; the package's own top modules (`coalition/__init__.py`, `cli.py`, `demo.py`) sit above every domain.
A module may import its own package's `__init__` (the Flask blueprint pattern: views import `bp`).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "coalition"
#: The domains, lowest first. A domain may import the ones before it, never the ones after it.
LAYERS = ("core", "accounts", "coalitions", "campaigns", "stories", "stakeholders", "meetings", "decisions", "api")
#: Modules of the package that belong to no domain: the ground (below core) and the top (above every domain).
GROUND = {"extensions"}
TOP = {"", "cli", "demo"}


def read_modules(root: Path, package: str) -> dict[str, Path]:
    """{dotted module name: file} of every module of `package` under `root`."""
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        modules[name.removesuffix(".__init__")] = path
    return modules


def _resolve(name: str, modules: dict) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def imports_of(name: str, path: Path, modules: dict) -> list[tuple[str, bool]]:
    """[(imported module of the package, at module level?)] for one module."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package_parts = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    top_level = {id(node) for node in tree.body}
    for node in tree.body:  # imports under a module-level if/try are module-level too
        if isinstance(node, ast.If | ast.Try):
            top_level |= {id(child) for child in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package_parts[: len(package_parts) - node.level + 1] + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names]
        else:
            continue
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved is not None and resolved != name:
                found.append((resolved, id(node) in top_level))
    return found


def layer_of(module: str, package: str) -> str:
    """The layer a module belongs to: a domain's name, "core", or "" / "cli" / … for the package's own modules."""
    parts = module.split(".")[1:]
    return parts[0] if parts else ""


def rank(layer: str) -> float:
    """Where a layer stands: the ground is lowest, then core and the domains in order, then the top modules."""
    if layer in GROUND:
        return -1
    if layer in LAYERS:
        return LAYERS.index(layer)
    assert layer in TOP, f"{layer!r} is neither a domain (add it to LAYERS) nor a known top module"
    return len(LAYERS)


def layering_problems(root: Path, package: str = PACKAGE) -> list[str]:
    """Every break of the layering rules, as readable lines; empty when the layering holds."""
    modules = read_modules(root, package)
    problems = []
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        own = layer_of(name, package)
        for target, at_top in imports_of(name, path, modules):
            other = layer_of(target, package)
            if own == "core" and other in LAYERS[1:]:
                problems.append(f"core imports a domain: {name} -> {target}")
            elif at_top and rank(other) > rank(own):
                problems.append(f"import points up a layer: {name} -> {target}")
            if not at_top:
                problems.append(f"function-local import: {name} -> {target}")
            if at_top and not name.startswith(target + "."):  # importing one's own package is the blueprint pattern
                edges[name].add(target)
    problems += [f"import cycle: {' -> '.join(cycle)}" for cycle in _cycles(edges)]
    return problems


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """One cycle per strongly connected group of modules (Tarjan), as a readable path."""
    index, low, stack, on_stack, groups, counter = {}, {}, [], set(), [], [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group) + [sorted(group)[0]])

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return groups


def test_the_layering_of_the_package_holds():
    assert layering_problems(ROOT) == []


def test_every_domain_package_is_a_known_layer():
    domains = {path.name for path in (ROOT / PACKAGE).iterdir() if (path / "__init__.py").exists()}
    assert domains <= set(LAYERS)


def _fake_package(tmp_path: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = tmp_path / PACKAGE / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    for folder in [tmp_path / PACKAGE, *(p for p in (tmp_path / PACKAGE).rglob("*") if p.is_dir())]:
        (folder / "__init__.py").touch()
    return tmp_path


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ({"core/audit.py": "from coalition.stories.models import Story\n"}, "core imports a domain"),
        ({"core/audit.py": "def f():\n    from coalition.accounts import models\n"}, "core imports a domain"),
        ({"campaigns/services.py": "from coalition.stories import models\n"}, "import points up a layer"),
        (
            {"stories/a.py": "from coalition.stories import b\n", "stories/b.py": "from coalition.stories import a\n"},
            "cycle",
        ),
        ({"stories/a.py": "def f():\n    from coalition.campaigns import models\n"}, "function-local import"),
    ],
    ids=["core-imports-domain", "core-local-import", "upward", "cycle", "function-local"],
)
def test_the_check_fails_when_the_layering_is_broken(tmp_path, files, expected):
    base = {"stories/models.py": "", "campaigns/models.py": "", "accounts/models.py": ""}
    root = _fake_package(tmp_path, base | files)
    assert any(expected in problem for problem in layering_problems(root)), layering_problems(root)


def test_the_check_accepts_downward_imports_and_the_blueprint_pattern(tmp_path):
    root = _fake_package(
        tmp_path,
        {
            "stories/__init__.py": "bp = object()\nfrom coalition.stories import views  # noqa: E402\n",
            "stories/views.py": "from coalition.stories import bp\nfrom coalition.campaigns import models\n",
            "campaigns/models.py": "from coalition.core import db\n",
            "core/db.py": "from coalition import extensions\n",
            "extensions.py": "",
        },
    )
    assert layering_problems(root) == []
