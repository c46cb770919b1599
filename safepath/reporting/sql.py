"""Database expressions reporting needs that Django does not ship, written for SQLite and
PostgreSQL (the two databases safepath runs on)."""

from __future__ import annotations

from typing import Any

from django.db.models import DateTimeField, Func


class YearBefore(Func):
    """The same moment one calendar year earlier; 29 February becomes 28 February, as in
    `safepath.risk.rules.months_before` (the rule the 12-month windows are defined by)."""

    output_field = DateTimeField()
    arity = 1

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # PostgreSQL clamps to the end of the month already.
        return self.as_sql(compiler, connection, template="(%(expressions)s - INTERVAL '1 year')", **extra)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        # SQLite rolls 29 February forward into March; step back a day first instead. Datetimes
        # are stored as UTC text, so the result is compared as text of the same shape.
        sql, params = compiler.compile(self.source_expressions[0])
        template = (
            "(CASE WHEN strftime('%%m-%%d', {x}) = '02-29' "
            "THEN strftime('%%Y-%%m-%%d %%H:%%M:%%S', {x}, '-1 day', '-1 years') "
            "ELSE strftime('%%Y-%%m-%%d %%H:%%M:%%S', {x}, '-1 years') END)"
        )
        return template.format(x=sql), params * 3
