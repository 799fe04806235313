"""Load the presentation's facts from a reviewable YAML file (data/presentation.yaml).

The file is the truth for the records it names: a load creates what is missing, corrects
the fields the file gives, and removes roles, links, groups, partnerships and actions that
came from the same source but are no longer in the file. Fields the file does not mention
are left as they are. Nothing is written when nothing differs, so a second run adds no
history. Everything happens in one transaction: any error rolls the whole load back, and
each error names the file, the entry and the field (see docs/data-presentation.md).
"""

import datetime
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction

from reti.lib import audit
from reti.lib.models import Provenance

from .models import (
    Action,
    Fund,
    GoverningRole,
    Network,
    NetworkLink,
    Organisation,
    Partnership,
    ProgrammingPeriod,
    Project,
    Source,
    Statement,
    Territory,
    Theme,
    WorkingGroup,
)
from .reference import ensure_reference_data
from .territories import load_territories

DEFAULT_FILE = Path(settings.BASE_DIR) / "data" / "presentation.yaml"
REASON = "load-presentation"
SECTIONS = ("source", "statements", "organisations", "networks", "projects")
SKIPPED_FIELDS = {"id", "created_at", "updated_at"}
_BAD = object()  # a value already reported as wrong


class LoadError(Exception):
    """Bad input in a data file; each line names the file, the entry and the field."""

    def __init__(self, errors: list[str]):
        self.errors = list(dict.fromkeys(errors))
        super().__init__("\n".join(self.errors))


@dataclass
class LoadReport:
    """What a load wrote, per model."""

    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    deleted: Counter = field(default_factory=Counter)

    @property
    def written(self) -> int:
        return sum((self.created + self.updated + self.deleted).values())

    def __str__(self):
        models = sorted(set(self.created) | set(self.updated) | set(self.unchanged))
        counts = ("created", "updated", "unchanged", "deleted")
        return "\n".join(
            f"{name}: " + ", ".join(f"{getattr(self, c)[name]} {c}" for c in counts)
            for name in models
        )


@dataclass(frozen=True)
class Spec:
    """How a YAML entry maps onto a model.

    `plain` fields are copied; `refs` and `many` name what a key points at (organisation,
    network, territory, period, fund, theme); `renames` maps YAML names to model fields.
    """

    model: type
    plain: tuple[str, ...]
    refs: dict = field(default_factory=dict)
    many: dict = field(default_factory=dict)
    children: tuple[str, ...] = ()
    renames: dict = field(default_factory=dict)
    natural_key: tuple[str, ...] = ("key",)
    needs_slides: bool = True

    def model_field(self, name: str) -> str:
        return self.renames.get(name, name)

    def yaml_field(self, model_field: str) -> str:
        names = {v: k for k, v in self.renames.items()}
        return names.get(model_field, {"source_slides": "slides"}.get(model_field, model_field))


NOTES = ("note_it", "note_en")
SOURCE = Spec(Source, ("key", "title", "place", "date", "note"), needs_slides=False)
STATEMENT = Spec(
    Statement,
    ("key", "title_it", "title_en", "text_it", "text_en", "points_it", "points_en"),
    refs={"since_period": "period"},
)
ORGANISATION = Spec(
    Organisation,
    (
        *("key", "name_it", "name_en", "acronym", "kind", "runts_section", "tax_code"),
        *("vat_number", "website", "status", *NOTES),
    ),
    refs={"parent": "organisation", "territory": "territory"},
)
NETWORK = Spec(
    Network,
    (
        *("key", "name_it", "name_en", "acronym", "scope", "status", "purpose_it", "purpose_en"),
        *("start_date", "end_date", "declared_member_count", "website"),
    ),
    many={"themes": "theme", "periods": "period"},
    children=("roles", "links", "working_groups", "actions"),
    renames={"key": "slug"},
    natural_key=("slug",),
)
ROLE = Spec(
    GoverningRole,
    ("role", "start_date", "end_date", "attested_on", *NOTES),
    refs={"organisation": "organisation"},
    natural_key=("network", "organisation", "role", "start_date", "source"),
)
LINK = Spec(
    NetworkLink,
    ("kind", *NOTES),
    refs={"to": "network"},
    renames={"to": "to_network"},
    natural_key=("from_network", "to_network", "kind"),
)
WORKING_GROUP = Spec(
    WorkingGroup,
    (
        *("title_it", "title_en", "programme_year", "priorities_it", "priorities_en"),
        *("programme_it", "programme_en", "network_relation"),
    ),
    refs={"coordinator": "organisation"},
    many={"themes": "theme", "related_networks": "network"},
    natural_key=("network", "programme_year", "title_it"),
)
ACTION_FIELDS = ("kind", "level", "title_it", "title_en", "description_it", "description_en")
NETWORK_ACTION = Spec(Action, ACTION_FIELDS, natural_key=("network", "title_it", "source"))
PROJECT_ACTION = Spec(Action, ACTION_FIELDS, natural_key=("project", "title_it", "source"))
PROJECT = Spec(
    Project,
    (
        *("key", "title_it", "title_en", "acronym", "cup", "kind", "status", "objectives_it"),
        *("objectives_en", "results_it", "results_en", "budget", "start_date", "end_date"),
        *("declared_partner_count", "declared_region_count"),
        *("partners_note_it", "partners_note_en"),
    ),
    refs={"period": "period", "fund": "fund"},
    many={"themes": "theme", "networks": "network"},
    children=("partners", "actions"),
)
PARTNER = Spec(
    Partnership,
    ("role", "contribution_it", "contribution_en", "start_date", "end_date"),
    refs={"organisation": "organisation"},
    natural_key=("project", "organisation"),
)


class Entry:
    """One mapping of the file and where it is, e.g. `networks[esfconet].roles[0]`."""

    def __init__(self, where: str, data):
        self.where = where
        self.data = data if isinstance(data, dict) else {}
        self.is_mapping = isinstance(data, dict)

    def child(self, name: str, index: int, data) -> "Entry":
        return Entry(f"{self.where}.{name}[{index}]", data)

    def items(self, name: str) -> list:
        value = self.data.get(name)
        return value if isinstance(value, list) else []


def _label(path: Path) -> str:
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path(settings.BASE_DIR).resolve()))
    except ValueError:
        return str(path)


def _read(path: Path, label: str) -> dict:
    try:
        with open(path, encoding="utf-8") as fh:
            data = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except OSError as exc:
        raise LoadError([f"{label}: cannot read the file: {exc.strerror}"]) from exc
    except yaml.YAMLError as exc:
        raise LoadError([f"{label}: not valid YAML: {exc}"]) from exc
    if not isinstance(data, dict):
        raise LoadError([f"{label}: expected a mapping with {', '.join(SECTIONS)}"])
    return data


def load_presentation(path: Path | str = DEFAULT_FILE, *, reason: str = REASON) -> LoadReport:
    """Load a presentation file atomically and idempotently; raise LoadError on bad input.

    Territories are loaded first if the database has none; the reference data (periods,
    funds, themes) are ensured in the same transaction.
    """
    label = _label(path)
    data = _read(Path(path), label)
    with transaction.atomic():
        if not Territory.objects.exists():
            load_territories()
        ensure_reference_data()
        loader = _Loader(label, data, reason)
        loader.run()
        if loader.errors:
            raise LoadError(loader.errors)
    return loader.report


class _Loader:
    def __init__(self, label: str, data: dict, reason: str):
        self.label = label
        self.data = data
        self.reason = reason
        self.errors: list[str] = []
        self.report = LoadReport()
        self.source = None
        self.saved = {"organisation": {}, "network": {}}
        self.declared = {"organisation": set(), "network": set()}
        self.cache = {}

    # -- the sections, in dependency order --------------------------------------------

    def run(self) -> None:
        for name in self.data:
            if name not in SECTIONS:
                self.error(name, None, f"unknown section (expected {', '.join(SECTIONS)})")
        source = Entry("source", self.data.get("source"))
        if not source.is_mapping:
            self.error("source", None, "required: the document these facts come from")
            return
        self.source = self.upsert(source, SOURCE)
        if self.source is None:
            return
        for entry in self.entries("statements", None):
            self.upsert(entry, STATEMENT)
        organisations = self.entries("organisations", "organisation")
        for entry in self.parents_first(organisations):
            self.saved["organisation"][entry.data["key"]] = self.upsert(entry, ORGANISATION)
        networks = self.entries("networks", "network")
        for entry in networks:
            self.saved["network"][entry.data["key"]] = self.upsert(entry, NETWORK)
        for entry in networks:
            network = self.saved["network"].get(entry.data["key"])
            if network is not None:
                self.network_children(entry, network)
        for entry in self.entries("projects", None):
            project = self.upsert(entry, PROJECT)
            if project is not None:
                self.project_children(entry, project)

    def entries(self, section: str, kind: str | None) -> list[Entry]:
        """The section's mappings, each with a unique key; bad ones are reported and dropped."""
        items = self.data.get(section) or []
        if not isinstance(items, list):
            self.error(section, None, "expected a list of entries")
            return []
        entries, seen = [], set()
        for index, data in enumerate(items):
            key = data.get("key") if isinstance(data, dict) else None
            entry = Entry(f"{section}[{key if isinstance(key, str) else index}]", data)
            if not entry.is_mapping:
                self.error(entry.where, None, "expected a mapping")
            elif not isinstance(key, str) or not key:
                self.error(entry.where, "key", "required: a stable identifier (a slug)")
            elif key in seen:
                self.error(entry.where, "key", f"duplicate key {key!r}")
            else:
                seen.add(key)
                entries.append(entry)
                if kind:
                    self.declared[kind].add(key)
        return entries

    def parents_first(self, entries: list[Entry]) -> list[Entry]:
        by_key = {e.data["key"]: e for e in entries}

        def depth(entry, seen=()):
            parent = entry.data.get("parent")
            if parent not in by_key:
                return 0
            if parent in seen:
                self.error(entry.where, "parent", f"circular parent {parent!r}")
                return 0
            return 1 + depth(by_key[parent], (*seen, entry.data["key"]))

        return sorted(entries, key=depth)

    def network_children(self, entry: Entry, network: Network) -> None:
        src = {"source": self.source}
        for name, spec, fixed, queryset in (
            ("roles", ROLE, {"network": network}, GoverningRole.objects.filter(network=network)),
            ("links", LINK, {"from_network": network}, network.links_out.all()),
            ("working_groups", WORKING_GROUP, {"network": network}, network.working_groups),
            ("actions", NETWORK_ACTION, {"network": network}, network.actions),
        ):
            kept = self.children(entry, name, spec, fixed)
            self.prune(queryset.filter(**src), kept)

    def project_children(self, entry: Entry, project: Project) -> None:
        src = {"source": self.source}
        kept = self.children(entry, "partners", PARTNER, {"project": project})
        self.prune(project.partnerships.filter(**src), kept)
        kept = self.children(entry, "actions", PROJECT_ACTION, {"project": project})
        self.prune(project.actions.filter(**src), kept)

    def children(self, entry: Entry, name: str, spec: Spec, fixed: dict) -> set[int]:
        value = entry.data.get(name)
        if value is not None and not isinstance(value, list):
            self.error(entry.where, name, "expected a list")
        kept = set()
        for index, data in enumerate(entry.items(name)):
            child = entry.child(name, index, data)
            if not child.is_mapping:
                self.error(child.where, None, "expected a mapping")
                continue
            obj = self.upsert(child, spec, fixed)
            if obj is not None:
                kept.add(obj.pk)
        return kept

    def prune(self, queryset, kept: set[int]) -> None:
        """Delete the records of this source under a parent that the file no longer lists."""
        for obj in queryset.exclude(pk__in=kept):
            audit.delete(obj, None, self.reason)
            self.report.deleted[type(obj).__name__] += 1

    # -- one record --------------------------------------------------------------------

    def upsert(self, entry: Entry, spec: Spec, fixed: dict | None = None):
        """Find the entry's record by its natural key, apply the file, validate, save if changed."""
        values, many = self.values(entry, spec)
        if values is None:
            return None
        values.update(fixed or {})
        if issubclass(spec.model, Provenance):
            values.update(source=self.source, synthetic=False)
        candidate = spec.model(**values)
        try:
            # Normalise the plain values for the lookup; full_clean below checks the rest.
            candidate.clean_fields(
                exclude=[f.name for f in spec.model._meta.get_fields() if f.is_relation]
            )
        except ValidationError as exc:
            return self.invalid(entry, spec, exc)
        lookup = {name: getattr(candidate, name) for name in spec.natural_key}
        obj = spec.model.objects.filter(**lookup).first() or candidate
        before = _snapshot(obj) if obj.pk else None
        for name in values:
            setattr(obj, name, getattr(candidate, name))
        try:
            obj.full_clean()
        except ValidationError as exc:
            return self.invalid(entry, spec, exc)
        model = spec.model.__name__
        changed = before is None or _snapshot(obj) != before
        if changed and not self.save(entry, obj):
            return None
        for name, targets in many.items():
            related = getattr(obj, name)
            if set(related.values_list("pk", flat=True)) != {t.pk for t in targets}:
                audit.stamp(obj, None, self.reason)
                related.set(targets)
                changed = True
        if before is None:
            self.report.created[model] += 1
        else:
            (self.report.updated if changed else self.report.unchanged)[model] += 1
        return obj

    def save(self, entry: Entry, obj) -> bool:
        audit.stamp(obj, None, self.reason)
        try:
            with transaction.atomic():
                obj.save()
        except IntegrityError as exc:
            self.error(entry.where, None, f"the database refused the record: {exc}")
            return False
        return True

    def values(self, entry: Entry, spec: Spec) -> tuple[dict | None, dict]:
        """The entry's model values and many-to-many targets; None when it cannot be saved.

        An entry pointing at a record that failed on its own is skipped without a second
        error: the load fails anyway, with the first one.
        """
        values, many, ok, skip = {}, {}, True, False
        for name, raw in entry.data.items():
            if name == "slides" and spec.needs_slides:
                values["source_slides"] = self.slides(entry, raw)
                ok &= values["source_slides"] is not None
            elif name in spec.plain:
                values[spec.model_field(name)] = self.plain(entry, spec, name, raw)
                ok &= values[spec.model_field(name)] is not _BAD
            elif name in spec.refs:
                target = self.resolve(entry, name, spec.refs[name], raw)
                ok &= target is not False
                skip |= target is None and raw is not None
                values[spec.model_field(name)] = target or None
            elif name in spec.many:
                if not isinstance(raw, list):
                    ok = self.error(entry.where, name, "expected a list")
                    continue
                targets = [self.resolve(entry, name, spec.many[name], v) for v in raw]
                ok &= False not in targets
                skip |= None in targets
                many[name] = targets
            elif name not in spec.children:
                ok = self.error(entry.where, name, "unknown field")
        if spec.needs_slides and "slides" not in entry.data:
            ok = self.error(entry.where, "slides", "required: the slide(s) this fact comes from")
        start, end = entry.data.get("start_date"), entry.data.get("end_date")
        if isinstance(start, datetime.date) and isinstance(end, datetime.date) and end < start:
            ok = self.error(entry.where, "end_date", f"ends ({end}) before it starts ({start})")
        return (values if ok and not skip else None), many

    def plain(self, entry: Entry, spec: Spec, name: str, raw):
        if isinstance(raw, list | dict):
            self.error(entry.where, name, "expected a single value")
            return _BAD
        if raw is None:  # an empty value in YAML: the field's empty value
            return spec.model._meta.get_field(spec.model_field(name)).get_default()
        return raw.strip() if isinstance(raw, str) else raw

    def slides(self, entry: Entry, raw) -> str | None:
        numbers = raw if isinstance(raw, list) else [raw]
        if not numbers or not all(isinstance(n, int) and n > 0 for n in numbers):
            self.error(entry.where, "slides", "expected a slide number or a list of them")
            return None
        return ",".join(str(n) for n in sorted(set(numbers)))

    def resolve(self, entry: Entry, name: str, kind: str, raw):
        """The record a reference points at; None if it failed elsewhere, False if unknown."""
        if not isinstance(raw, str):
            return self.error(entry.where, name, f"expected a {kind} code as text, got {raw!r}")
        if kind in self.saved:
            if raw in self.saved[kind]:
                return self.saved[kind][raw]
            if raw in self.declared[kind]:
                return None  # declared further on, or already reported as invalid
            return self.error(entry.where, name, f"unknown {kind} {raw!r}")
        if (kind, raw) not in self.cache:
            self.cache[kind, raw] = self.lookup(kind, raw)
        found = self.cache[kind, raw]
        return found or self.error(entry.where, name, f"unknown {kind} {raw!r}")

    @staticmethod
    def lookup(kind: str, code: str):
        """A territory, period, fund or theme by its code; None when there is none."""
        try:
            if kind == "territory":
                return Territory.objects.by_code(code)
        except (Territory.DoesNotExist, Territory.MultipleObjectsReturned):
            return None
        model = {"period": ProgrammingPeriod, "fund": Fund, "theme": Theme}[kind]
        return model.objects.filter(code=code).first()

    # -- errors ------------------------------------------------------------------------

    def error(self, where: str, name: str | None, message: str) -> bool:
        """Record an error; returns False so callers can write `ok = self.error(...)`."""
        self.errors.append(f"{self.label}: {where}{f'.{name}' if name else ''}: {message}")
        return False

    def invalid(self, entry: Entry, spec: Spec, exc: ValidationError) -> None:
        for name, messages in exc.message_dict.items():
            yaml_name = None if name == NON_FIELD_ERRORS else spec.yaml_field(name)
            for message in messages:
                self.error(entry.where, yaml_name, str(message))
        return None


def _snapshot(obj) -> dict:
    return {
        f.attname: getattr(obj, f.attname)
        for f in obj._meta.concrete_fields
        if f.attname not in SKIPPED_FIELDS
    }
