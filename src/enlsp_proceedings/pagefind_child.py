"""The Pagefind indexer's child process: ``python -m enlsp_proceedings.pagefind_child SPEC OUT``.

Kept apart from search.py so that it imports nothing but pagefind (it starts on the
critical path of a rebuild: Pagefind is usually the last to finish). SPEC is a JSON list
of ``{"url", "content", "meta"}`` records, written by `search.SearchIndexJob`.
"""

from __future__ import annotations

import asyncio
import json
import sys
import types
from pathlib import Path


def _without_poll_delay() -> None:
    """pagefind's service sleeps 0.1 s before reading each answer of its binary, so indexing
    cost 0.1 s per record (36 s for 100 papers with their people). This process only
    indexes: give that module an asyncio whose sleep does not wait (reads still block on data)."""
    import pagefind.service as service

    real_sleep = asyncio.sleep

    async def sleep(delay: float, *args, **kwargs):
        return await real_sleep(0, *args, **kwargs)

    service.asyncio = types.SimpleNamespace(**{**vars(asyncio), "sleep": sleep})


async def _index(records: list[dict], out: Path) -> None:
    from pagefind.index import PagefindIndex

    config = {"output_path": str(out), "force_language": "en", "write_playground": False}
    async with PagefindIndex(config=config) as index:
        # The service polls for answers every 0.1 s: one request at a time would cost 0.1 s
        # per record (36 s for 100 papers and their people), so send them all at once.
        await asyncio.gather(*(
            index.add_custom_record(url=record["url"], content=record["content"], language="en", meta=record["meta"])
            for record in records
        ))


def main(spec: str, out: str) -> None:
    _without_poll_delay()
    records = json.loads(Path(spec).read_text(encoding="utf-8"))
    asyncio.run(_index(records, Path(out)))


if __name__ == "__main__":
    main(*sys.argv[1:3])
