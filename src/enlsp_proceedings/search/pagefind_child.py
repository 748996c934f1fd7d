"""The Pagefind indexer's child process: ``python -m enlsp_proceedings.search.pagefind_child SPEC OUT``.

Kept apart from search/index.py so that it imports nothing but pagefind (it starts on the
critical path of a rebuild). SPEC, written by `search.index.SearchIndexJob`, is a JSON list of
bundles ``{"dir": NAME, "records": [{"url", "content", "meta"}, ...]}``; each becomes a
Pagefind index in OUT/NAME, without the prebuilt search UIs the site does not use.
"""

from __future__ import annotations

import asyncio
import json
import sys
import types
from pathlib import Path

from enlsp_proceedings.search.written import index_problem


def _without_poll_delay() -> None:
    """pagefind's service sleeps 0.1 s before reading each answer of its binary, so indexing
    cost 0.1 s per record (36 s for 100 papers with their people). This process only
    indexes: give that module an asyncio whose sleep does not wait (reads still block on data).

    A workaround on pagefind's internals (``pagefind.service.asyncio``), kept because it is
    most of the search index's time: 260 records took 27.9 s without it, 1.5 s with it
    (pagefind 1.5.2). Upstream: Pagefind/pagefind#976 (open; ``add_custom_record`` takes
    ~100 ms each). Pagefind's CLI only indexes HTML files, not these records (which carry
    the PDFs' text). Remove when the service reads answers without a fixed sleep or takes
    records in one batch. If pagefind's module or its use of asyncio changes, this does
    nothing and indexing is only slower (see docs/workarounds.md)."""
    try:
        import pagefind.service as service
    except ImportError:  # moved: index at pagefind's own pace
        return
    if getattr(service, "asyncio", None) is not asyncio:
        return
    real_sleep = asyncio.sleep

    async def sleep(delay: float, *args, **kwargs):
        return await real_sleep(0, *args, **kwargs)

    service.asyncio = types.SimpleNamespace(**{**vars(asyncio), "sleep": sleep})  # type: ignore[assignment]  # a stand-in module, on purpose


async def _written(directory: Path, records: int, timeout: float = 60.0) -> None:
    """Wait until the bundle's files are complete (see `index_problem`).

    The binary answers "files written" before every file has reached the disk, and the
    service terminates it at once when closed; that has cut ``pagefind-entry.json`` off
    empty (in CI, twice in a row) and once, with several bundles, left a second bundle
    incomplete. So each bundle is checked here before the next one and before closing;
    the build checks the whole index again.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline and index_problem(directory, records) is not None:
        await asyncio.sleep(0.02)


#: Pagefind's ready-made search interfaces; the site has its own (static/enlsp-search.js).
UNUSED_FILES = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
                "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")


async def _index(bundles: list[dict], out: Path) -> None:
    from pagefind.service import PagefindService

    service = await PagefindService().launch()
    try:
        for bundle in bundles:
            index = await service.create_index({"force_language": "en", "write_playground": False})
            # The service polls for answers every 0.1 s: one request at a time would cost 0.1 s
            # per record (36 s for 100 papers and their people), so send them all at once.
            await asyncio.gather(*(
                index.add_custom_record(url=record["url"], content=record["content"], language="en", meta=record["meta"])
                for record in bundle["records"]
            ))
            directory = out / bundle["dir"]
            await index.write_files(output_path=str(directory))
            await _written(directory, len(bundle["records"]))
            for name in UNUSED_FILES:
                (directory / name).unlink(missing_ok=True)
            await index.delete_index()
    finally:
        await service.close()


def main(spec: str, out: str) -> None:
    """Index the bundles described in the file ``spec`` into ``out`` (one Pagefind index per bundle)."""
    _without_poll_delay()
    bundles = json.loads(Path(spec).read_text(encoding="utf-8"))
    asyncio.run(_index(bundles, Path(out)))


if __name__ == "__main__":
    main(*sys.argv[1:3])
