"""What every app's back office shares: the audit reason, form field defaults, a paginator,
the read-only page of records only the system or the portal's actions write."""

from django.core.paginator import Paginator
from django.db import connections, models
from django.utils.functional import cached_property

# Stored in the audit trail as the change reason of back-office edits.
AUDIT_REASON = "back office"


# Addresses typed without a scheme are taken as https (Django 6's default).
FORMFIELD_OVERRIDES = {models.URLField: {"assume_scheme": "https"}}


class ReadOnly:
    """Put before a ModelAdmin: records the system or the portal's actions write (logs,
    evaluations, erasures) are shown in the back office to those `may_read(user)` says (a
    predicate from the app's permissions.py, as a staticmethod), and nobody adds, changes or
    deletes them there."""

    may_read = staticmethod(lambda user: False)

    def has_module_permission(self, request):
        return self.may_read(request.user)

    def has_view_permission(self, request, obj=None):
        return self.may_read(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def m2m_data(form) -> dict:
    """The many-to-many values a model form carries, for the actions to set after saving."""
    names = [field.name for field in form._meta.model._meta.many_to_many]
    return {name: form.cleaned_data[name] for name in names if name in form.cleaned_data}


class LargeTablePaginator(Paginator):
    """Counts an unfiltered PostgreSQL table from its statistics instead of scanning it.

    COUNT(*) over millions of projects takes half a second on PostgreSQL; the planner's row
    estimate (kept fresh by autovacuum) is enough to number the pages of an unfiltered list.
    Filtered lists, small tables and SQLite (whose count is fast) are counted exactly.
    """

    estimate_above = 100_000

    @cached_property
    def count(self):
        queryset = self.object_list
        connection = connections[queryset.db]
        if connection.vendor == "postgresql" and not queryset.query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
                    [connection.ops.quote_name(queryset.model._meta.db_table)],
                )
                row = cursor.fetchone()
            if row and row[0] >= self.estimate_above:
                return row[0]
        return super().count
