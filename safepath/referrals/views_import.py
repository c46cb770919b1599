"""Bulk import pages for hub staff: upload a file, see what happened, download the rejected rows."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from safepath.core.access import get_scoped_or_404, require_perm
from safepath.core.audit import Action, audit_event
from safepath.core.forms import posted
from safepath.referrals import rules as perms
from safepath.referrals.forms_import import ImportForm
from safepath.referrals.importing import (
    ImportFileError,
    import_file,
    import_runs_for,
    own_import_runs,
    run_header,
    write_rejects,
)

RECENT_RUNS = 10
REJECTS_SHOWN = 500  # on the page; the download has them all


def import_upload(request: HttpRequest) -> HttpResponse:
    require_perm(request, perms.IMPORT)
    form = ImportForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            with upload.open("rb"):
                result = import_file(
                    upload.file,
                    filename=upload.name,
                    hub=request.membership.organisation,
                    request=request,
                    by=request.user,  # type: ignore[attr-defined]
                )
        except ImportFileError as error:
            form.add_error("file", f"{error} Nothing was imported.")
        else:
            # Post/redirect/get: refreshing the result page does not send the file again.
            return redirect("referrals:import_run", result.run.pk)  # type: ignore[union-attr]
    runs = list(import_runs_for(request.user)[:RECENT_RUNS])
    return render(request, "referrals/import.html", {"form": form, "runs": runs})


def import_run(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, perms.IMPORT)
    run = get_scoped_or_404(import_runs_for(request.user), pk=pk)
    audit_event(action=Action.VIEW, request=request, obj=run)
    # Line and reason only: the rejected rows' contents (names, dates of birth) stay in the download.
    rejects = [{"line": r["line"], "reason": r["reason"]} for r in run.rejects[:REJECTS_SHOWN]]
    context = {
        "run": run,
        "rejects": rejects,
        "more_rejects": max(run.rejected - REJECTS_SHOWN, 0),
        "can_download": run.by_id == request.user.pk,
    }
    return render(request, "referrals/import_run.html", context)


def import_rejects(request: HttpRequest, pk: int) -> HttpResponse:
    require_perm(request, perms.IMPORT)
    run = get_scoped_or_404(own_import_runs(request.user), pk=pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{run.pk}-rejects.csv"'
    write_rejects(response, run_header(run), run.rejects)  # type: ignore[arg-type]
    audit_event(action=Action.EXPORT, request=request, obj=run, reason="rejected rows of an import downloaded")
    return response
