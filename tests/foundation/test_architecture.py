"""The package's shape, checked: domains do not import each other in a circle, no blueprint
imports another's routes, and every view is short enough to read at a glance
(load -> check permission -> call a service -> respond)."""

import ast
import inspect
from pathlib import Path

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


def _domain(module: str) -> str | None:
    """The sub-package a module belongs to (None for top-level modules such as
    intranet.views, which every domain may use)."""
    parts = module.split(".")
    if len(parts) < 2 or not (PACKAGE / parts[1]).is_dir():
        return None
    return parts[1]


def _domain_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, tree in _modules().items():
        source = _domain(module)
        if source is None:
            continue
        graph.setdefault(source, set())
        for name in _imported(tree):
            target = _domain(name)
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


def test_no_import_cycle_between_domains():
    graph = _domain_graph()
    assert {"plans", "reports", "rounds", "history"} <= graph.keys()
    assert _cycle(graph) is None, " -> ".join(_cycle(graph))


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
