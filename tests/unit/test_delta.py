"""pipeline/delta.py, its parts on their own (the whole one-page rebuild: tests/e2e/test_delta_rebuild.py)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import pickle

from ntc_site.load.content import SourcePage
from ntc_site.model.site import Page
from ntc_site.pipeline import delta


def test_the_quick_copy_of_a_page_is_what_dataclasses_replace_makes():
    src = SourcePage("it", "a/b.md", "content/it/a/b.md", "Titolo", "Descrizione", "slug", "key",
                     dt.date(2024, 5, 7), None, False, "main", 3, "page", None, "Il testo.", 6, "f00d")
    page = Page("it", "it/a/slug/", "key", "Titolo", "Descrizione", "page", src, None, False, dt.date(2024, 5, 7))
    for value, changes in ((src, {"body": ""}), (page, {"source": None}), (page, {"title": "Altro"})):
        made = delta._with(value, **changes)
        assert made == dataclasses.replace(value, **changes) and type(made) is type(value)
        assert pickle.loads(pickle.dumps(made)) == made
    assert src.body == "Il testo."  # the original is left as it was
