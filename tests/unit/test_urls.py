from ntc_site.urls import Urls, child_path, output_file, page_path


def test_links_carry_the_subpath():
    urls = Urls("https://org.github.io/repo/")
    assert urls.prefix == "/repo/"
    assert urls.href("it/cluster/") == "/repo/it/cluster/"
    assert urls.absolute("en/") == "https://org.github.io/repo/en/"


def test_root_site_has_slash_prefix():
    assert Urls("https://dati.example.org/").href("it/") == "/it/"


def test_unicode_and_spaces_are_quoted():
    assert Urls("https://x.org/").href("it/città/") == "/it/citt%C3%A0/"


def test_pretty_urls():
    assert page_path("it", ()) == "it/"
    assert page_path("it", ("cluster",)) == "it/cluster/"
    assert child_path("it/cluster/", "aerospazio") == "it/cluster/aerospazio/"
    assert output_file("it/cluster/") == "it/cluster/index.html"
    assert output_file("sitemap.xml") == "sitemap.xml"


def test_the_folders_files_need_are_every_parent_and_not_the_root():
    from ntc_site.urls import folders_of
    assert folders_of(["index.html", "it/a/index.html", "it/a/b/c.json", "en/x.html"]) == \
        {"it", "it/a", "it/a/b", "en"}
    assert folders_of([]) == set() and folders_of(["404.html"]) == set()
