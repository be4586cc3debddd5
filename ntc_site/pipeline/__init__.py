"""The pipeline that runs the stages in order, and what makes it fast.

`run.py` takes `Settings` (folders, base URL, drafts, jobs) and gives a `Result`: every output file (big
downloads as files on disk), or every problem of the run. `pages.py` schedules page rendering over the
build cache (`cache.py`, `sources.py`) and the worker pool (`parallel.py`); `sitefiles.py` makes the files
built once per site.
"""
