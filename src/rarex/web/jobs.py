"""Running a page's import in the background, in a thread of the process that took the file.

The job's row (rarex.core.jobs) is committed before the thread starts; the thread runs the
work with a progress callback, then records the result or the refusal. The uploaded file lives
in a temporary directory that the thread removes when it ends, whatever happens.

Two threads per process: a long list import never makes a customs file wait for it, and the
imports themselves write in short transactions, so under SQLite's single writer they take
turns with each other and with the pages.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Any

from rarex.core import jobs
from rarex.core.errors import Problem

log = logging.getLogger("rarex.jobs")

Work = Callable[[jobs.Reporter], dict[str, Any]]

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="rarex-import")
_running: dict[int, Future] = {}


def _plain(value: Any) -> Any:
    """What JSON can hold (dates and decimals of a problem's extra become text)."""
    return json.loads(json.dumps(value, default=str))


def _run(job_id: int, work: Work, tmp_dir: Path) -> None:
    try:
        result = work(jobs.Reporter(job_id))
    except Problem as exc:
        jobs.fail(job_id, {"slug": exc.slug, "status": exc.status, "detail": exc.detail, "extra": _plain(exc.extra)})
    except Exception:
        log.exception("import job %s failed", job_id)
        jobs.fail(job_id, {"slug": "internal", "status": 500, "detail": "the import stopped on an internal error",
                           "extra": {}})
    else:
        jobs.finish(job_id, _plain(result))
    finally:
        shutil.rmtree(tmp_dir, ignore_errors=True)
        _running.pop(job_id, None)


def start(job_id: int, work: Work, tmp_dir: Path) -> None:
    _running[job_id] = _pool.submit(_run, job_id, work, tmp_dir)


def wait(job_id: int, timeout: float = 60) -> None:
    """Block until the job's thread ends (tests; a job of another process returns at once)."""
    future = _running.get(job_id)
    if future is not None:
        future.result(timeout=timeout)
