"""`field__among=[ids]`: `field__in`, with the list sent to PostgreSQL as one array.

`field__in` writes one placeholder per value, and psycopg parses a query's placeholders again
on every execution when there are too many to cache: milliseconds for the few hundred ids of a
region's territories. On PostgreSQL `among` is `field = ANY(%s)` with a single array parameter
(the planner estimates it as it does an IN list); elsewhere it is Django's `IN`.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.lookups import In


class Among(In):
    lookup_name = "among"

    def as_sql(self, compiler, connection):
        if connection.vendor != "postgresql":
            return super().as_sql(compiler, connection)
        values = list(self.rhs)
        if not values:
            raise EmptyResultSet
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*lhs_params, values]


Field.register_lookup(Among)
# Relations keep their own lookups (those of Field stop at ForeignObject).
ForeignObject.register_lookup(Among)
