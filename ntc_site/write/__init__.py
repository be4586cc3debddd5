"""Stage 4, write: the only code that writes under `--out`.

Takes the file map of a successful build; gives a whole new site in place of the old one, built beside it
and swapped in atomically, or an `OutputError` and the old site untouched.
"""
