"""Bulk upload: a .zip of `festival.yaml` and its transcripts, through the importer."""

from __future__ import annotations

import tempfile
from pathlib import Path

from flask import current_app, render_template, request

from festival.errors import ImportProblem, Problem
from festival.extensions import get_db, instance_path, media_folder, transcript_limits
from festival.ingest.importer import import_manifest
from festival.ingest.manifest import display_path
from festival.organise import bp
from festival.organise.bundles import BundleRefused, extract_bundle
from festival.organise.pending import uploads_folder


def _within(problems: list[Problem], folder: Path) -> list[Problem]:
    """Problems named by their path inside the bundle rather than on this server."""
    prefix = display_path(folder) + "/"
    return [Problem(p.file.removeprefix(prefix), p.line, p.message) for p in problems]


@bp.route("/import", methods=["GET", "POST"])
def bulk_import():
    if request.method == "GET":
        return render_template("organise/import.html")
    upload = request.files.get("bundle")
    if not upload or not upload.filename or not upload.filename.lower().endswith(".zip"):
        problem = Problem("", None, "Upload a .zip holding festival.yaml and its transcripts.")
        return render_template("organise/import.html", problems=[problem]), 400
    config = current_app.config
    strict = not request.form.get("lenient")
    with tempfile.TemporaryDirectory(dir=uploads_folder()) as unpacked:
        folder = Path(unpacked)
        try:
            manifest_folder = extract_bundle(
                upload.stream,
                folder,
                max_files=int(config["BUNDLE_MAX_FILES"]),
                max_bytes=int(config["BUNDLE_MAX_BYTES"]),
                max_ratio=float(config["BUNDLE_MAX_RATIO"]),
            )
            report = import_manifest(
                get_db(),
                instance_path(),
                manifest_folder,
                strict=strict,
                limits=transcript_limits(),
                lock_timeout=float(config["INDEX_LOCK_TIMEOUT"]),
                root=folder,
                media=media_folder(),
            )
        except BundleRefused as refused:
            problem = Problem(upload.filename, None, f"refused, nothing imported: {refused}")
            return render_template("organise/import.html", problems=[problem]), 400
        except ImportProblem as error:
            page = render_template(
                "organise/import.html",
                problems=_within(error.problems, folder),
                warnings=_within(error.warnings, folder),
            )
            return page, 400
        warnings = _within(report.warnings, folder)
    return render_template("organise/import.html", report=report, warnings=warnings)
