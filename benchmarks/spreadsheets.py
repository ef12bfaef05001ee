"""Spreadsheet import benchmark: CSV and XLSX imports against the loader on the same data.

    python -m benchmarks.spreadsheets [--nodes 100000] [--relationships 500000]

The synthetic ecosystem (every entity and tie citing one source with a quote, as the model
requires) is written as CSV files and as an XLSX workbook, then loaded three times into
fresh graphs of one embedded server, in the same run: by the loader from memory (the
baseline), and by the import from each file (read, check, plan against the graph, load).
Peak memory of reading the rows (VmHWM) is measured in a child process per file, on a tenth
of the rows and on all of them: reading streams, so it should not grow with the row count.
"""

from __future__ import annotations

import argparse
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from benchmarks.common import Progress, print_table
from benchmarks.loader import store_for
from benchmarks.synthetic import generate
from graph.export.xlsx import write_workbook
from graph.load.columns import COLUMNS, ENTITIES, SOURCES, TIES
from graph.load.import_apply import apply_plan, preview_import
from graph.load.loader import load_graph

SOURCE = {"id": "src-synthetic", "title": "Synthetic ecosystem", "language": "en", "file": "-"}
EVIDENCE = {"source": "src-synthetic", "evidence": "Generated for the benchmark."}


def with_evidence(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the items citing the benchmark's source, as the model requires."""
    return [{**item, **EVIDENCE} for item in items]


def sheet_rows(nodes: list[dict], ties: list[dict]) -> list[tuple[str, list[Any]]]:
    """Return the ecosystem as (sheet, row) in the template's columns."""
    from benchmarks.synthetic import Ecosystem  # noqa: F401  (documents the input)
    from graph.load.cells import write_list

    def cells(sheet: str, item: dict[str, Any]) -> list[Any]:
        values = {**item, "label": item.get("label"), "evidence": item.get("evidence")}
        return [
            write_list(values[c.field]) if isinstance(values.get(c.field), list)
            else values.get(c.field)
            for c in COLUMNS[sheet]
        ]  # fmt: skip

    rows = [(SOURCES, [SOURCE.get(c.field) for c in COLUMNS[SOURCES]])]
    rows += [(ENTITIES, cells(ENTITIES, node)) for node in nodes]
    rows += [(TIES, cells(TIES, tie)) for tie in ties]
    return rows


def write_csv(folder: Path, rows: list[tuple[str, list[Any]]]) -> list[Path]:
    """Write one CSV file per sheet; return them."""
    import csv

    folder.mkdir(parents=True, exist_ok=True)
    paths = {name: folder / f"{name.lower()}.csv" for name in (SOURCES, ENTITIES, TIES)}
    handles = {n: p.open("w", encoding="utf-8", newline="") for n, p in paths.items()}
    writers = {n: csv.writer(h) for n, h in handles.items()}
    for name, writer in writers.items():
        writer.writerow([c.header for c in COLUMNS[name]])
    for name, row in rows:
        writers[name].writerow(["" if v is None else v for v in row])
    for handle in handles.values():
        handle.close()
    return list(paths.values())


def timed_import(
    data_dir: Path, graph: str, files: list[Path], total: int
) -> tuple[float, float, Any]:
    """Import ``files`` into a fresh graph; return seconds in all, reading and planning, and
    the summary."""
    with store_for(data_dir, graph) as store:
        started = time.perf_counter()
        plan = preview_import(store, files)
        planned = time.perf_counter() - started
        if not plan.ok:
            raise SystemExit(f"{graph}: {plan.problems[:3]}")
        progress = Progress(f"import {graph}", total)
        summary = apply_plan(store, plan, progress=progress)
        elapsed = time.perf_counter() - started
        progress.finish(f" in {elapsed:.1f} s (planned in {planned:.1f} s)")
        return elapsed, planned, summary


def read_peak_mb(files: list[Path]) -> float:
    """Return the peak memory (MB) of a child process that streams every row of ``files``."""
    code = (
        "import sys\nfrom pathlib import Path\n"
        "from graph.load.spreadsheet import open_sheets\n"
        "from graph.load.rows import sheet_records\n"
        "problems = []\n"
        "with open_sheets([Path(p) for p in sys.argv[1:]]) as sheets:\n"
        "    n = sum(1 for s in sheets for _ in sheet_records(s, problems))\n"
        "status = Path('/proc/self/status').read_text()\n"
        "print(int(status.split('VmHWM:')[1].split()[0]) / 1024)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, *map(str, files)], capture_output=True, text=True, check=True
    )
    return float(out.stdout.strip())


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--relationships", type=int, default=None)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-xlsx", action="store_true", help="CSV and the loader only.")
    args = parser.parse_args(argv)
    eco = generate(args.nodes, args.relationships, seed=args.seed)
    nodes, ties = with_evidence(eco.nodes), with_evidence(eco.relationships)
    total = len(nodes) + len(ties) + 1
    table = []
    with tempfile.TemporaryDirectory(prefix="ecomap-sheets-") as tmp:
        root = Path(tmp)
        rows = sheet_rows(nodes, ties)
        tenth = sheet_rows(nodes[: len(nodes) // 10], ties[: len(ties) // 10])
        csv_files, csv_tenth = write_csv(root / "csv", rows), write_csv(root / "csv10", tenth)
        formats = [("CSV", csv_files, csv_tenth)]
        if not args.skip_xlsx:
            started = time.perf_counter()
            write_workbook(root / "eco.xlsx", rows)
            write_workbook(root / "eco10.xlsx", tenth)
            print(f"wrote the workbooks in {time.perf_counter() - started:.0f} s", file=sys.stderr)
            formats.append(("XLSX", [root / "eco.xlsx"], [root / "eco10.xlsx"]))
        del rows, tenth
        data_dir = root / "data"
        with store_for(data_dir, "loader") as store:
            progress = Progress("loader", total)
            started = time.perf_counter()
            load_graph(store, nodes, ties, [SOURCE], progress=progress)
            baseline = time.perf_counter() - started
            progress.finish(f" in {baseline:.1f} s")
        table.append(["loader (from memory)", total, f"{baseline:.1f}", "", f"{baseline:.1f}",
                      f"{total / baseline:,.0f}", "100%", "", ""])  # fmt: skip
        for name, files, small in formats:
            seconds, planned, summary = timed_import(data_dir, name.lower(), files, total)
            assert summary.total("created") == total, summary.describe()
            peaks = (read_peak_mb(small), read_peak_mb(files))
            table.append([
                f"import from {name}", total, f"{seconds:.1f}", f"{planned:.1f}",
                f"{seconds - planned:.1f}", f"{total / seconds:,.0f}",
                f"{baseline / seconds:.0%}", f"{peaks[0]:.0f}", f"{peaks[1]:.0f}",
            ])  # fmt: skip
    print(f"\n{len(nodes):,} entities, {len(ties):,} ties, 1 source")
    print_table(
        [
            "load",
            "rows",
            "seconds",
            "read+plan s",
            "load s",
            "rows/s",
            "of loader",
            "read MB (1/10)",
            "read MB (all)",
        ],
        table,
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak memory of this process (generator, loader and imports): {peak:.0f} MB")


if __name__ == "__main__":
    main()
