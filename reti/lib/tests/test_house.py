"""The house's import rules (docs/architecture.md, "Allowed dependencies"), read from the code.

Every module under reti/ is parsed with `ast`, imports inside functions included, relative
imports resolved; a rule broken names the file and the import.
"""

import ast
from pathlib import Path

import pytest

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


# Which apps each app may import: the diagram of docs/architecture.md ("Allowed
# dependencies"), read as an allow-list. Tests and migrations are not searched (a test may use
# another app's factories; a migration names the fields it was written with). Every app may
# import reti.lib; BASE is the shared domain (the registry's records, public modules only:
# see REGISTRY_INTERNALS; accounts' memberships, permissions, token auth and the
# personal-data contract `accounts.rights`). What an app may not import is infrastructure of
# another app: that belongs in reti/lib (e-mail links, upload checks, money, the API reader).
BASE = ("reti.registry", "reti.accounts")
OPENDATA = "reti.opendata.registry"  # `Dataset`, what an app's `datasets` hook declares
DEPENDS: dict[str, tuple[str, ...]] = {
    "accounts": (),  # the base of everything: imports no app (the registry by label only)
    "registry": ("reti.accounts",),
    "identity": (),
    "opendata": (),  # reads what apps declare through their AppConfig, imports none
    "knowledge": (*BASE, OPENDATA, "reti.portal.history"),  # a practice's history page
    "events": (*BASE, OPENDATA),
    "communities": BASE,
    # `reti worker` (the one background worker) also rebuilds the open data's nightly dumps
    "monitoring": (*BASE, OPENDATA, "reti.opendata.dumps"),
    "opencoesione": (*BASE, OPENDATA),
    "grids": BASE,  # grids is used by grants and csr, never the reverse
    "grants": (
        *BASE,
        OPENDATA,
        "reti.grids",  # applications are evaluated with grids
        "reti.monitoring.models",  # a funded project becomes a monitoring intervention
        # its ESF+ indicator targets; an instrument's added value over the snapshot, behind
        # the one disclosure-control threshold
        "reti.monitoring.analytics",
        "reti.identity.views",  # `level_required`: the SPID level an applicant's page asks
    ),
    "csr": (
        *BASE,
        OPENDATA,
        "reti.grids",  # self-assessments are grids assessments
        "reti.grants",  # an attestation's bonus points in a call (who edits the call)
        "reti.monitoring.analytics.suppression",  # the one disclosure-control threshold
        "reti.events.models",  # the prize's award ceremony is an event
    ),
    # The portal is the frame of every page and the registry's public site; its network
    # dossier (PDF) still lists the network's events and practices by name.
    "portal": (*BASE, OPENDATA, "reti.events.models", "reti.knowledge.models"),
}


def apps_of_reti() -> list[str]:
    return sorted(
        path.name for path in ROOT.iterdir() if (path / "apps.py").exists() and path.name != "lib"
    )


def inter_app_imports(app: str) -> list[tuple[str, str]]:
    """(file, imported name) for every import of another Reti app by `app`'s code."""
    others = [f"reti.{name}" for name in apps_of_reti() if name != app]
    found = []
    for path, relative in modules(app):
        if "tests" in path.parts or path.name == "conftest.py":
            continue
        for name in sorted(imported_names(path)):
            if any(within(name, other) for other in others):
                found.append((relative, name))
    return found


def test_every_app_is_in_the_dependency_table():
    assert sorted(DEPENDS) == apps_of_reti(), "add the new app to DEPENDS and the doc's diagram"


@pytest.mark.parametrize("app", sorted(DEPENDS))
def test_an_app_imports_only_the_apps_the_diagram_allows(app):
    allowed = DEPENDS[app]
    found = [
        f"{relative}: {name}"
        for relative, name in inter_app_imports(app)
        if not any(within(name, prefix) for prefix in allowed)
    ]
    assert found == [], "infrastructure goes in reti/lib; a new dependency in the doc first"


def test_the_dependency_table_is_not_stale():
    for app, allowed in DEPENDS.items():
        names = [name for _relative, name in inter_app_imports(app)]
        for prefix in allowed:
            if prefix not in BASE:
                assert any(within(name, prefix) for name in names), f"{app}: {prefix} unused"


def test_the_doc_draws_every_app():
    doc = (ROOT.parent / "docs" / "architecture.md").read_text()
    diagram = doc.split("## Allowed dependencies between apps", 1)[1].split("\n## ", 1)[0]
    for app in apps_of_reti():
        assert app in diagram, app


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
    apps = [f"reti.{name}" for name in apps_of_reti()]
    assert len(apps) >= 13
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


def test_the_house_rules_read_every_app():
    # The rules on caches, writers and lists walk reti/ as a whole: an app added later is
    # read too (issue 23 asked that they cover grids, grants, csr, identity, opendata...).
    from reti.lib.tests import test_house_cache, test_house_lists, test_house_writers

    read = {
        "cache": {relative.split("/")[1] for relative, _text in test_house_cache._sources(".py")},
        "writers": {
            str(path.relative_to(ROOT)).split("/")[0] for path in test_house_writers._sources()
        },
        "lists": {name.split("/")[0] for name, _text in test_house_lists._sources()},
    }
    for rule, apps in read.items():
        missing = set(apps_of_reti()) - apps - ({"lib"} if rule == "lists" else set())
        assert missing == set(), f"{rule}: {sorted(missing)}"
