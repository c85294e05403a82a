"""Several real processes index at once: nothing is lost and nobody fails on the Whoosh lock.

Each writer is a separate Python process running Django against one SQLite file (the outbox)
and one Whoosh directory, committing 25 single-document transactions as fast as it can, as
gunicorn workers saving pages would.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WRITER = r"""
import sys, django
django.setup()
from django.db import transaction
from search.api import index_documents, remove_documents
from search.documents import SearchDocument
worker = int(sys.argv[1])
for i in range(25):
    with transaction.atomic():
        index_documents([SearchDocument(key=f"notice:{worker}-{i}", kind="notice", title=f"通知 {worker}-{i}",
                                        body=f"第{worker}组第{i}份出租屋消防检查通知", url=f"/n/{worker}/{i}/")])
# one removal per worker, racing the others' additions
with transaction.atomic():
    remove_documents([f"notice:{worker}-0"])
print("done", worker)
"""

CHECK = r"""
import django
django.setup()
from search import backends
from search.models import PendingIndexOp
engine = backends.get_engine()
print(len(engine.keys()), PendingIndexOp.objects.count())
"""


def _env(tmp_path):
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'outbox.sqlite3'}",
            "WHOOSH_INDEX_DIR": str(tmp_path / "whoosh"),
            "FAZHI_SEARCH_BACKEND": "whoosh",
            "PYTHONPATH": os.pathsep.join([str(ROOT / "site"), str(ROOT)]),
        }
    )
    return env


def test_four_processes_writing_at_once_lose_nothing(tmp_path):
    env = _env(tmp_path)
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v", "0"],
        env=env,
        check=True,
        cwd=ROOT,
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(w)],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for w in range(4)
    ]
    for p in procs:
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        assert "LockError" not in err
    out = subprocess.run(
        [sys.executable, "-c", CHECK], env=env, cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout.split()
    indexed, pending = int(out[0]), int(out[1])
    assert pending == 0  # no update left stranded in the outbox
    assert indexed == 4 * 25 - 4  # every addition landed; every removal too
