"""HSDS 3.0 data package files for `flask programs import FILE` / `flask programs export FILE` (portal_app/cli.py)."""
from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from ..accounts.models import Organization, OrganizationKind
from ..extensions import db

class PackageError(ValueError):
    """The file cannot be imported or the export cannot be written; the message says why."""


def import_file(path: str, agency_name: str | None = None) -> str:
    """Import an HSDS 3.0 data package (JSON, or the CSV tables in a zip); flushes, the caller commits."""
    from .hsds.importer import import_package, read_package
    from .hsds.validate import HsdsInvalid

    agency = None
    if agency_name:
        agency = db.session.scalar(select(Organization).where(func.lower(Organization.name) == agency_name.lower(),
                                                              Organization.kind == OrganizationKind.AGENCY))
        if agency is None:
            raise PackageError(f"No agency named {agency_name!r}.")
    try:
        counts = import_package(read_package(path), agency)
    except (HsdsInvalid, zipfile.BadZipFile, UnicodeDecodeError) as err:
        raise PackageError(str(err)) from err
    return (f"Imported {counts['services']} services, {counts['locations']} locations, "
            f"{counts['service_at_locations']} services at locations "
            f"({counts['skipped_locations']} locations without coordinates or a known ZIP skipped).")


def write_csv_zip(package: dict, path: Path) -> None:
    """The package as the HSDS CSV tables (scalar columns of the tabular schema) in one zip."""
    from .hsds.validate import tabular_schema

    tables = tabular_schema()["properties"]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for table, rows in package.items():
            spec = tables[table]["items"]
            columns = [k for k, v in spec["properties"].items() if v.get("type") not in ("array", "object")
                       and "$ref" not in v]
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(spec["path"], out.getvalue())


def export_file(path: str) -> str:
    """Write the directory as an HSDS 3.0 data package: JSON, or CSV tables when PATH ends in .zip."""
    from .hsds.export import export_package
    from .hsds.validate import HsdsInvalid, check

    package = export_package()
    try:
        check(package)
    except HsdsInvalid as err:
        raise PackageError(f"The export does not validate: {err}") from err
    target = Path(path)
    if target.suffix.lower() == ".zip":
        write_csv_zip(package, target)
    else:
        target.write_text(json.dumps(package, indent=1, ensure_ascii=False))
    return f"Exported {len(package['service'])} services and {len(package['location'])} locations to {target}."
