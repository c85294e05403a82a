"""Search test fixtures: the same tests run on both backends (postgres skips off PostgreSQL)."""

from pathlib import Path

import pytest

# Laws chosen for the terms the tests ask about; two versions of 行政复议法 (2017 expired).
SUBSET = [
    "行政法/治安管理处罚法(2012-10-26).md",
    "诉讼与非诉讼程序法/刑事诉讼法(2018-10-26).md",
    "诉讼与非诉讼程序法/行政复议法(2017-09-01).md",
    "诉讼与非诉讼程序法/行政复议法(2023-09-01).md",
    "行政法规/拘留所条例(2012-02-23).md",
    "部门规章/公安部/公安机关适用继续盘问规定(2004-07-12).md",
    "行政法/道路交通安全法(2021-04-29).md",
    "行政法/行政强制法(2011-06-30).md",
    "刑法/刑法.md",
]


def subset_documents(shared_data: Path):
    """The subset as the site indexes it: the laws app's importer and search provider."""
    from bench.corpus import corpus_documents

    return corpus_documents(shared_data / "laws", SUBSET)


@pytest.fixture(scope="session")
def law_docs(shared_data):
    return subset_documents(shared_data)


@pytest.fixture(scope="session")
def _whoosh_laws_dir(law_docs, tmp_path_factory):
    from search.engines.whoosh_engine import WhooshEngine

    root = tmp_path_factory.mktemp("whoosh-laws")
    WhooshEngine(root).rebuild(law_docs, procs=1)
    return root


@pytest.fixture(params=["whoosh", "postgres"])
def search_backend(request, settings, db):
    from django.db import connection

    if request.param == "postgres" and connection.vendor != "postgresql":
        pytest.skip(
            "the PostgreSQL search backend needs a PostgreSQL database (CI's PostgreSQL run covers it)"
        )
    settings.FAZHI_SEARCH_BACKEND = request.param
    return request.param


@pytest.fixture
def indexed_laws(search_backend, settings, law_docs, request):
    """The law subset indexed in the backend under test (Whoosh: built once, read-only)."""
    if search_backend == "whoosh":
        settings.WHOOSH_INDEX_DIR = request.getfixturevalue("_whoosh_laws_dir")
    else:
        from search import services

        services.search_index_rebuild(documents=law_docs, procs=1)
    return law_docs
