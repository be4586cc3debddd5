"""ntc-site: the static bilingual open-data portal of Italy's National Technology Clusters.

The build is one pipeline, read top to bottom in `pipeline/run.py`: load -> validate -> model -> render
-> write. Each stage is a folder (load/, model/, data/, render/, pipeline/, check/, write/, preview/) whose
`__init__.py` says what it takes and gives; `problems.py`, `urls.py` and `languages.py` are the shared
bottom that every stage imports, and `cli.py` the top that only the command line imports.
"""
__version__ = "1.0.0"
