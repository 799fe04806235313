from django.contrib.admin.apps import AdminConfig


class RetiAdminConfig(AdminConfig):
    """Django's admin with Reti's site: the back office opens to organisations' editors too."""

    default_site = "reti.admin_site.RetiAdminSite"
