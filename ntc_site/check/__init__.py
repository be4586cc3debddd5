"""`check --strict`: editorial findings on a built site (translation parity and staleness, links and
anchors, alt text, heading levels, drafts). Takes a `Result` of the pipeline; gives `Problem`s.
"""
