from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from reti.lib.extensions import Demo, Section


class KnowledgeConfig(AppConfig):
    name = "reti.knowledge"
    verbose_name = _("Buone pratiche")
    # Entries of the portal's main menu: (URL name, label, group); see reti.portal.nav.
    portal_nav = (("knowledge:practice_list", _("Buone pratiche"), "exchange"),)
    # What the app adds to `reti demo` and to others' pages; see reti.lib.extensions.
    demo = Demo("reti.knowledge.demo", order=10)
    datasets = "reti.knowledge.datasets"
    portal_sections = {
        "organisation": (
            Section(
                "knowledge/includes/organisation_transfers.html",
                "reti.knowledge.sections.organisation_transfers",
                order=10,
            ),
        ),
    }
    account_sections = (
        Section(
            "knowledge/includes/account_drafts.html",
            "reti.knowledge.sections.account_drafts",
            order=40,
        ),
    )

    def ready(self):
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from reti.lib import cache

        from .catalogue import SCOPE
        from .models import GoodPractice, TargetGroup
        from .search import register

        register()

        # What the catalogue caches (facets, labels, similar practices), from any door.
        def changed(sender, raw=False, action="post_", **kwargs):
            if not raw and action.startswith("post_"):
                cache.bump(SCOPE)

        for model in (GoodPractice, TargetGroup):
            post_save.connect(changed, sender=model, dispatch_uid=f"knowledge-saved-{model}")
            post_delete.connect(changed, sender=model, dispatch_uid=f"knowledge-gone-{model}")
        for through in (GoodPractice.themes.through, GoodPractice.target_groups.through):
            m2m_changed.connect(changed, sender=through, dispatch_uid=f"knowledge-m2m-{through}")
