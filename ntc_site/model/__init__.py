"""Stage 2, model: the whole site as frozen data, with no I/O.

Takes what `load/` gives (and the data packages from `data/packages.py`). Gives a `Site`: every page of
both languages with its URL, its translation partner, the menus, and the URL of everything (urls.py).
"""
