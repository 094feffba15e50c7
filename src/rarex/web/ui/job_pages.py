"""What the import pages share: a job's progress as a fragment that htmx polls, and its state.

While a job runs, its page holds ``ui/_job_progress.html``, which asks for itself again every
second (``hx-get``, ``hx-trigger="every 1s"``, ``hx-swap="outerHTML"``) and shows a
``<progress>`` bar. When the job has ended the fragment answers ``HX-Refresh: true``: htmx
reloads the page, which now shows the result. Without JavaScript the page refreshes itself
(a ``<meta http-equiv="refresh">`` inside ``<noscript>``), and the fragment's own link leads
to the result.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from rarex.core import jobs
from rarex.web.ui.render import render


def job_context(job: jobs.Job, page_url: str, steps: Sequence[str] = ()) -> dict[str, Any]:
    """What the pages show of ``job``; ``steps`` are the phases of a job of several steps, in
    order (``step`` is then the number of the one it is on, from 1, and ``percent`` counts it)."""
    state = jobs.state(job)
    percent = int(100 * job.done / job.total) if job.total else None
    step = steps.index(job.phase) + 1 if job.phase in steps else None
    return {"job": job, "state": state, "percent": percent, "step": step, "steps": len(steps), "page_url": page_url,
            "progress_url": f"{page_url}/progress"}


def progress_fragment(request: Request, job: jobs.Job, page_url: str, steps: Sequence[str] = ()) -> Response:
    ctx = job_context(job, page_url, steps)
    response = render(request, "ui/_job_progress.html", ctx)
    if ctx["state"] != "running":
        response.headers["HX-Refresh"] = "true"
    return response
