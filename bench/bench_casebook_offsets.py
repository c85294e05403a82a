"""How fast annotation offsets move and PII is masked on real judgment texts.

    .venv/bin/python bench/bench_casebook_offsets.py [../shared/data/cases]

For every shared case text (JuDGE ``fd``, LeCaRDv2 ``query``, LeCaRD ``q``) it places 20
annotations, applies three scattered edits (an insertion, a replacement and a deleted sentence)
and times ``casebook.offsets.rebase``; it also times ``casebook.pii.mask_pii`` per text.
Prints figures only; nothing is asserted.
"""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from casebook.offsets import Placed, rebase  # noqa: E402
from casebook.pii import mask_pii  # noqa: E402


def texts(folder: Path):
    for path in sorted(folder.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            yield record.get("fd") or record.get("query") or record.get("q")


def edit(text: str) -> str:
    n = len(text)
    sentences = text.split("。")
    if len(sentences) > 4:
        del sentences[len(sentences) // 2]
    out = "。".join(sentences)
    out = out[: n // 4] + "（此处为编辑时补充的说明）" + out[n // 4 :]
    return out.replace("被告人", "被告人员", 1)


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent / "shared" / "data" / "cases"
    rebase_ms, mask_ms, sizes = [], [], []
    placed = flagged = 0
    for text in texts(folder):
        new = edit(text)
        step = max(1, len(text) // 20)
        spans = [(i, min(len(text), i + 8)) for i in range(0, len(text) - 8, step)][:20]
        t0 = time.perf_counter()
        results = rebase(text, new, spans)
        rebase_ms.append((time.perf_counter() - t0) * 1000)
        placed += sum(isinstance(r, Placed) for r in results)
        flagged += sum(not isinstance(r, Placed) for r in results)
        t0 = time.perf_counter()
        mask_pii(text)
        mask_ms.append((time.perf_counter() - t0) * 1000)
        sizes.append(len(text))

    def fig(values):
        values = sorted(values)
        return (
            f"median {statistics.median(values):.2f} ms, p95 {values[int(len(values) * 0.95) - 1]:.2f} ms, "
            f"max {values[-1]:.2f} ms"
        )

    print(
        f"texts: {len(sizes)}, characters: median {statistics.median(sizes):.0f}, max {max(sizes)}"
    )
    print(f"rebase 20 spans after 3 edits: {fig(rebase_ms)}")
    print(f"  spans placed {placed}, flagged {flagged}")
    print(f"mask_pii per text: {fig(mask_ms)}")


if __name__ == "__main__":
    main()
