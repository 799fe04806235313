"""The house's import rules (docs/architecture.md, "Allowed dependencies"), read from the code.

Every module under reti/ is parsed with `ast`, imports inside functions included, relative
imports resolved; a rule broken names the file and the import.
"""

import ast
from pathlib import Path

import reti

ROOT = Path(reti.__file__).parent

# The registry's own infrastructure: other apps take the shared kit from reti.lib instead.
REGISTRY_INTERNALS = (
    "reti.registry.api",
    "reti.registry.models.base",
    "reti.registry.admin.base",
    "reti.registry.demo.writer",
)
# The project's API root mounts each app's router; that is the one way in to registry.api.
MOUNTS = {("reti/api.py", "reti.registry.api"), ("reti/api.py", "reti.registry.api.router")}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(path: Path) -> set[str]:
    """Every module (and `module.name`) the file imports, as absolute dotted names."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = module_name(path)
    if path.name != "__init__.py":
        package = package.rpartition(".")[0]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module
            names.add(base)
            names.update(f"{base}.{alias.name}" for alias in node.names)
    return names


def within(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def modules(under: str = ""):
    for path in sorted((ROOT / under).rglob("*.py")):
        if "migrations" not in path.parts:
            yield path, str(path.relative_to(ROOT.parent))


def breaches(paths, forbidden, allowed=frozenset()) -> list[str]:
    found = []
    for path, relative in paths:
        for name in sorted(imported_names(path)):
            if (
                any(within(name, prefix) for prefix in forbidden)
                and (relative, name) not in allowed
            ):
                found.append(f"{relative}: {name}")
    return found


def test_no_other_app_imports_the_registry_internals():
    outside = (
        (path, relative)
        for path, relative in modules()
        if not relative.startswith("reti/registry/")
    )
    assert breaches(outside, REGISTRY_INTERNALS, MOUNTS) == []


def test_accounts_does_not_import_the_registry():
    # registry -> accounts is the allowed direction (memberships, token auth); accounts'
    # one link back is the lazy "registry.Organisation" of Membership.organisation.
    code = ((p, r) for p, r in modules("accounts") if "tests" not in p.parts)
    assert breaches(code, ("reti.registry",)) == []


def test_lib_imports_no_app():
    apps = [
        f"reti.{path.name}"
        for path in ROOT.iterdir()
        if (path / "apps.py").exists() and path.name != "lib"
    ]
    assert len(apps) >= 7
    code = ((p, r) for p, r in modules("lib") if "tests" not in p.parts)
    assert breaches(code, apps) == []


def test_the_rules_see_a_breach(tmp_path, monkeypatch):
    # The parser resolves relative and in-function imports: a rule cannot pass by blindness.
    package = ROOT / "knowledge"
    sample = package / "api" / "practices.py"
    names = imported_names(sample)
    assert "reti.lib.api.errors.BadRequest" in names
    assert "reti.knowledge.actions" in names or "reti.knowledge.permissions" in names
    fake = tmp_path / "reti" / "events" / "views.py"
    fake.parent.mkdir(parents=True)
    fake.write_text(
        "from ..registry.api.errors import BadRequest\n"
        "def f():\n    from reti.registry.demo import writer\n"
    )
    monkeypatch.setattr("reti.lib.tests.test_house.ROOT", tmp_path / "reti")
    found = breaches([(fake, "reti/events/views.py")], REGISTRY_INTERNALS)
    assert found == [
        "reti/events/views.py: reti.registry.api.errors",
        "reti/events/views.py: reti.registry.api.errors.BadRequest",
        "reti/events/views.py: reti.registry.demo.writer",
    ]
