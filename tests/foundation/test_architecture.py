"""The package's shape, checked: domains do not import each other in a circle, no blueprint
imports another's routes, and every view is short enough to read at a glance
(load -> check permission -> call a service -> respond)."""

import ast
import inspect
import subprocess
import sys
from pathlib import Path

import grimp

import intranet

PACKAGE = Path(intranet.__file__).parent
MAX_VIEW_LINES = 25


def _modules() -> dict[str, ast.Module]:
    modules = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        modules[name] = ast.parse(path.read_text(encoding="utf-8"))
    return modules


def _imported(tree: ast.Module) -> set[str]:
    """Every intranet module a module imports, at the top or inside a function."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in names if name.startswith("intranet.")}


# The layers under the domains (see docs/architecture.md); every other sub-package is a domain.
LAYERS = {"core", "db", "models", "reading", "auth", "integrity", "web"}


def _unit(module: str) -> str | None:
    """The top-level sub-package a module belongs to (None for the package itself and its
    few loose modules: config, extensions, cli)."""
    parts = module.split(".")
    if len(parts) < 2 or not (PACKAGE / parts[1]).is_dir():
        return None
    return parts[1]


def _domain(module: str) -> str | None:
    """The domain package a module belongs to (None for the layers under the domains)."""
    unit = _unit(module)
    return None if unit in LAYERS else unit


def _domain_graph() -> dict[str, set[str]]:
    """Which top-level sub-package imports which (layers and domains alike)."""
    graph: dict[str, set[str]] = {}
    for module, tree in _modules().items():
        source = _unit(module)
        if source is None:
            continue
        graph.setdefault(source, set())
        for name in _imported(tree):
            target = _unit(name)
            if target is not None and target != source:
                graph[source].add(target)
    return graph


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle among the domains, or None."""
    state: dict[str, str] = {}

    def visit(node, path):
        state[node] = "open"
        for target in sorted(graph.get(node, ())):
            if state.get(target) == "open":
                return [*path[path.index(target) :], target]
            if target not in state and (found := visit(target, [*path, target])):
                return found
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node, [node])):
            return found
    return None


def test_no_import_cycle_between_sub_packages():
    graph = _domain_graph()
    assert {"plans", "reports", "rounds", "history", "core", "web"} <= graph.keys()
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


def test_the_layer_contracts_hold():
    """pyproject.toml's import-linter contracts: each layer imports only from below.

    In a process of its own: import-linter configures logging as it starts, which would
    silence the app's logger for the rest of this process's tests."""
    root = PACKAGE.parent
    script = (
        "import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-2000:]


def _module_cycles() -> list[list[str]]:
    """Every set of modules that import each other in a circle (Tarjan's strongly connected
    components), imports inside functions included."""
    graph = grimp.build_graph("intranet", cache_dir=None)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles = []

    def connect(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                connect(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while not component or component[-1] != module:
                component.append(stack.pop())
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            connect(module)
    return cycles


def test_no_import_cycle_between_modules():
    assert _module_cycles() == []


def test_the_cycle_check_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_no_routes_module_imports_another_domains_routes():
    offenders = []
    for module, tree in _modules().items():
        if not module.endswith(".routes"):
            continue
        for name in _imported(tree):
            if ".routes" in name and _domain(name) != _domain(module):
                offenders.append(f"{module} imports {name}")
    assert offenders == []


def test_no_template_global_runs_a_query(app):
    """Templates get their data from views: no global reaches into a domain's reads."""
    domain_globals = [
        name
        for name, value in app.jinja_env.globals.items()
        if callable(value)
        and _domain(getattr(inspect.unwrap(value), "__module__", "") or "") is not None
    ]
    assert domain_globals == []


def test_no_view_function_over_25_lines(app):
    too_long = []
    for endpoint, view in app.view_functions.items():
        function = inspect.unwrap(view)
        if not function.__module__.startswith("intranet."):
            continue
        lines, _start = inspect.getsourcelines(function)
        # The decorators are not the view's body.
        body = [line for line in lines if not line.lstrip().startswith("@")]
        if len(body) > MAX_VIEW_LINES:
            too_long.append(f"{endpoint}: {len(body)} lines")
    assert too_long == []
