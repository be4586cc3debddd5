"""Audits against the facts files of the project workspace (../shared/reference/), run by `make audit` only.

They need the workspace beside the repository, so the default test run must not collect this folder
(pyproject's testpaths should leave tests/audit out).
"""
