"""What the import pages share: a job's progress as a fragment that htmx polls, and its state.

While a job runs, its page holds ``ui/_job_progress.html``, which asks for itself again every
second (``hx-get``, ``hx-trigger="every 1s"``, ``hx-swap="outerHTML"``) and shows a
``<progress>`` bar. When the job has ended the fragment answers ``HX-Refresh: true``: htmx
reloads the page, which now shows the result. Without JavaScript the page refreshes itself
(a ``<meta http-equiv="refresh">`` inside ``<noscript>``), and the fragment's own link leads
to the result.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from rarex.core import jobs
from rarex.web.ui.render import render


def job_context(job: jobs.Job, page_url: str) -> dict[str, Any]:
    state = jobs.state(job)
    percent = int(100 * job.done / job.total) if job.total else None
    return {"job": job, "state": state, "percent": percent, "page_url": page_url,
            "progress_url": f"{page_url}/progress"}


def progress_fragment(request: Request, job: jobs.Job, page_url: str) -> Response:
    ctx = job_context(job, page_url)
    response = render(request, "ui/_job_progress.html", ctx)
    if ctx["state"] != "running":
        response.headers["HX-Refresh"] = "true"
    return response
