"""Stage 1, load and validate: reads the editors' files and checks them.

Takes the folders `content/` (site.yaml, Markdown pages, area and cluster records, media) and
`templates/i18n/`. Gives frozen values — `SiteConfig`, `SourcePage`s, `Records`, interface-string tables —
and a list of every `Problem` found, each with its file and line. Nothing here prints, exits or writes.
"""
