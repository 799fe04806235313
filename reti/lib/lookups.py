"""`field__among=[ids]`: membership in a long literal list, cheap to send.

`field__in` writes one placeholder per value. psycopg parses a query's placeholders on every
execution when there are too many to cache, which costs milliseconds for the few hundred ids of
a region's territories. On PostgreSQL `among` sends the list as one array parameter
(`field = ANY(%s)`, which the planner estimates as it does an IN list); on SQLite it is `IN`.
"""

from django.db.models import Field, ForeignObject, Lookup


class Among(Lookup):
    lookup_name = "among"
    prepare_rhs = False

    def get_prep_lookup(self):
        return [self.lhs.output_field.get_prep_value(value) for value in self.rhs]

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = list(self.rhs)
        if not values:
            return "1 = 0", []
        if connection.vendor == "postgresql":
            return f"{lhs} = ANY(%s)", [*lhs_params, values]
        placeholders = ", ".join(["%s"] * len(values))
        return f"{lhs} IN ({placeholders})", [*lhs_params, *values]


Field.register_lookup(Among)
# Relations keep their own lookups (those of Field stop at ForeignObject).
ForeignObject.register_lookup(Among)
