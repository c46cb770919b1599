"""Commissioner metrics: one definition per figure, computed by aggregate queries.

Every metric takes a `Scope` (a period of whole local days and, optionally, a set of area ids)
and returns plain counts, never rows about a person. Disclosure control is applied afterwards
(`safepath.reporting.report`), so the same counts serve screens, the command line and tests.

Plain-language definitions live in `definitions.DEFINITIONS`, keyed like the report's JSON, and
are shown beside each figure.
"""

from safepath.reporting.metrics.scope import Scope

__all__ = ["Scope"]
