"""What an app declares on its AppConfig so that the rest of Reti picks it up by itself.

The portal, the account area and `reti demo` never name the apps that feed them: they loop
over the installed app configs and read these attributes (all optional):

`portal_nav`
    Entries of the portal's main menu: ((URL name, label[, group]), ...); see
    `reti.portal.nav`.
`demo`
    `Demo("reti.<app>.demo", order)`: the module making the app's synthetic records for
    `reti demo`. It provides `generate(scale_name, *, seed, report) -> dict[str, int]` (rows
    written, by a name shown to the operator), run after the registry's own data, lowest
    `order` first; and may provide `purge(*, report) -> int`, deleting its synthetic records
    that point at synthetic registry rows, run highest `order` first before the registry
    replaces its own. `report(line)` prints a progress line.
`portal_sections`
    `{page: (Section, ...)}`: parts the app adds to a portal page of a shared record; `page`
    is "organisation", "network", "project" or "territory", and the section's subject is that
    record.
`account_sections`
    `(Section, ...)`: parts the app adds to the signed-in user's account page; the subject is
    the user.
`datasets`
    The dotted path of a module whose `DATASETS` is a tuple of `reti.opendata.registry.Dataset`:
    the app's open datasets, which the opendata app writes, documents and puts in the
    DCAT-AP_IT catalogue (docs/opendata.md). The module is imported on first use, not when
    the app loads.
`second_factor`
    The dotted path of a predicate `(user) -> bool`: whether `user` handles the app's
    sensitive records (participant data, payments, evaluations) and so must give a second
    factor after a password sign-in; see `reti.accounts.twofactor`.
`personal_data`
    The dotted path of a module providing `collect(user)` (the app's tables about a person,
    for their download) and optionally `erase(user)` (what erasing their data does to the
    app's records); see `reti.accounts.rights`.
`grid_committee_managers`
    The dotted path of a predicate `(user, committee) -> bool` saying who, besides staff and
    the chair, manages a grids committee the app opened for its own records (grants: the
    officers of the call whose committee it is). A manager sees and oversees the committee,
    assigns subjects, overrides a detected conflict with a reason, reopens an assessment and
    publishes the results; the consensus stays the chair's and the secretary's
    (reti.grids.permissions).
`grid_fixed_answers`
    The dotted path of a function `(assessment) -> {node code: {"value", "justification"}}`:
    answers an app reads from its own records for an assessment of a grids committee (csr:
    a call's CSR bonus from the applicant's attestation at the deadline). grids sets them
    over the evaluator's and the consensus's answers, names them in the audit reason, and
    the justification, shown to the evaluator, says where the value comes from. Return {}
    for a committee that is not the app's.

A `Section` names a template and, optionally, the dotted path of a function
`(request, subject) -> dict | None` giving the template's variables; None leaves the section
out (e.g. for a user it does not concern). The template is rendered with the page's context,
the subject as `object` and those variables. Sections show in ascending `order`, ties in
INSTALLED_APPS order; the registry's and the account's own parts come first.
"""

from dataclasses import dataclass

from django.apps import apps
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

PAGES = ("organisation", "network", "project", "territory")


@dataclass(frozen=True)
class Demo:
    module: str
    order: int = 100
    # The dotted path of a tuple of (username, role) among the demo's accounts that
    # `reti demo-user` gives the demo password for a local run ("" for none).
    logins: str = ""


@dataclass(frozen=True)
class Section:
    template: str
    context: str = ""
    order: int = 100


def demos() -> list[Demo]:
    """Every app's demo module, in the order they generate."""
    found = [(config.demo, index) for index, config in _configs() if hasattr(config, "demo")]
    return [demo for demo, _index in sorted(found, key=lambda item: (item[0].order, item[1]))]


def sections(hook: str, page: str = "") -> list[Section]:
    """The sections of `hook` ("portal_sections" with a `page`, or "account_sections")."""
    found = []
    for index, config in _configs():
        if hook == "portal_sections":
            by_page = getattr(config, hook, {})
            unknown = set(by_page) - set(PAGES)
            if unknown:
                raise ValueError(f"{config.name}: unknown portal pages {sorted(unknown)}")
            declared = by_page.get(page, ())
        else:
            declared = getattr(config, hook, ())
        found += [(section, index) for section in declared]
    return [section for section, _index in sorted(found, key=lambda s: (s[0].order, s[1]))]


def render(context, found: list[Section], subject) -> SafeString:
    """Render `found` sections about `subject` inside a template's `context`."""
    request = context.get("request")
    parts = []
    for section in found:
        variables = import_string(section.context)(request, subject) if section.context else {}
        if variables is None:
            continue
        template = context.template.engine.get_template(section.template)
        with context.push(object=subject, **variables):
            parts.append(template.render(context))
    # Each part was rendered by a template, with its own escaping.
    return mark_safe("".join(parts))


def _configs():
    return enumerate(apps.get_app_configs())
