"""`safepath import_boundaries FILE.geojson [--demo]`: give areas the boundaries drawn on the coverage map.

Each feature of the GeoJSON FeatureCollection is matched to an area by its ONS code (property
`code`, or an ONS-style `LAD24CD`), else by its name (`name` or `LAD24NM`), ignoring case.
All or nothing: an invalid geometry or two features for one area saves nothing (exit 2).
Prints `loaded N, unmatched N`; features matching no area are listed on stderr and leave the
areas that did match loaded (a national file has many areas a council does not serve).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from safepath.areas.boundaries import DEMO_BOUNDARIES, BoundaryFileError, boundaries_load, read_feature_collection

EXIT_NOT_LOADED = 2


class Command(BaseCommand):
    help = (
        "Load area boundaries (for the coverage map) from a GeoJSON FeatureCollection, matched to areas by "
        "ONS code or name. Exit status 0: loaded; 2: nothing loaded."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FILE.geojson", nargs="?", help="The GeoJSON file (UTF-8).")
        parser.add_argument(
            "--demo",
            action="store_true",
            help="Load the schematic boundaries shipped for the demo scenarios (not Ordnance Survey data).",
        )

    def handle(self, *args: Any, file: str | None, demo: bool, **options: Any) -> None:
        if bool(file) == demo:
            raise CommandError("Give either a FILE.geojson or --demo.")
        path = DEMO_BOUNDARIES if demo else Path(file or "")
        limit = int(getattr(settings, "SAFEPATH_IMPORT_MAX_BYTES", 10 * 1024 * 1024))
        try:
            if path.stat().st_size > limit:
                raise BoundaryFileError(f"The file is larger than {limit:,} bytes. Use a generalised boundary file.")
            result = boundaries_load(read_feature_collection(path.read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, BoundaryFileError) as error:
            self.stdout.write("loaded 0, unmatched 0")
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.stderr.write(f"{path.name}: {reason} Nothing was loaded.")
            sys.exit(EXIT_NOT_LOADED)
        self.stdout.write(f"loaded {len(result.matched)}, unmatched {len(result.unmatched)}")
        if result.unmatched:
            self.stderr.write("No area matches these features (by ONS code or name): " + "; ".join(result.unmatched))
