"""Festivals in the organiser area: the overview, and creating, editing and deleting them."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for

from festival.errors import ImportProblem, NotFound, Problem
from festival.extensions import archive_write, get_db
from festival.ingest.manifest import festival_from_fields
from festival.organise import bp
from festival.organise.forms import festival_fields, form_problems
from festival.storage import reading
from festival.storage.writing import delete_festival, save_festival


def festival_or_404(slug: str) -> dict:
    try:
        return reading.festival(get_db(), slug)
    except NotFound:
        abort(404, f"no festival '{slug}'")


@bp.get("/")
def dashboard():
    db = get_db()
    by_festival: dict[str, list[dict]] = {}
    for card in reading.session_cards(db, drafts=True):
        by_festival.setdefault(card["festival"], []).append(card)
    return render_template(
        "organise/dashboard.html", festivals=reading.festivals(db), sessions=by_festival
    )


def _festival_form(festival: dict | None):
    """Create (`festival` None) or edit a festival from the posted form."""
    fields = festival_fields(request.form)
    if festival:
        fields["slug"] = festival["slug"]
    problems: list[Problem] = []
    try:
        plan = festival_from_fields(fields, "festival")
    except ImportProblem as error:
        problems = form_problems(error)
    if not festival and not problems and reading.slug_exists(get_db(), "festivals", plan.slug):
        problems = [Problem("", None, f"a festival with slug '{plan.slug}' exists")]
    if problems:
        page = render_template(
            "organise/festival_form.html", festival=festival, values=fields, problems=problems
        )
        return page, 400
    with archive_write() as write:
        save_festival(write.db, plan, {})
        write.touch(*reading.festival_session_slugs(write.db, plan.slug))
    flash(f"Saved festival “{plan.name}”.")
    return redirect(url_for("organise.dashboard"))


@bp.route("/festivals/new", methods=["GET", "POST"])
def new_festival():
    if request.method == "POST":
        return _festival_form(None)
    return render_template("organise/festival_form.html", festival=None, values={}, problems=[])


@bp.route("/festivals/<slug>/edit", methods=["GET", "POST"])
def edit_festival(slug: str):
    festival = festival_or_404(slug)
    if request.method == "POST":
        return _festival_form(festival)
    return render_template(
        "organise/festival_form.html", festival=festival, values=festival, problems=[]
    )


@bp.post("/festivals/<slug>/delete")
def remove_festival(slug: str):
    festival = festival_or_404(slug)
    if reading.festival_session_slugs(get_db(), slug):
        flash(f"“{festival['name']}” still has sessions: delete them first.")
        return redirect(url_for("organise.edit_festival", slug=slug))
    with archive_write() as write:
        delete_festival(write.db, slug)
    flash(f"Deleted festival “{festival['name']}”.")
    return redirect(url_for("organise.dashboard"))
