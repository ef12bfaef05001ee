"""``ecomap template``, ``ecomap import`` and ``ecomap export``: spreadsheets in and out."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from graph.errors import EcomapError
from graph.export.csv_files import write_csv_folder
from graph.export.gexf import write_gexf
from graph.export.graphml import write_graphml
from graph.export.sheets import Progress
from graph.export.template import write_template
from graph.export.xlsx import write_xlsx
from graph.load.import_plan import ImportPlan
from graph.store.base import Store
from web.cli.context import open_store_of

FORMATS = {".xlsx": "xlsx", ".graphml": "graphml", ".gexf": "gexf", "": "csv", ".csv": "csv"}
SHOWN_CHANGES = 20


@click.command()
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
    default=Path("ecosystem.xlsx"), show_default=True, help="The workbook to write.",
)  # fmt: skip
def template(output: Path) -> None:
    """Write the import template: Read me, Entities, Ties and Sources sheets with examples.

    \b
    Example:
        ecomap template -o ecosystem.xlsx
    """
    write_template(output)
    click.echo(f"wrote {output}", err=True)


@click.command("import")
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Show what would change; write nothing.")
@click.option(
    "--matches", type=click.Choice(["take", "new"]), default="take", show_default=True,
    help="Rows naming an existing entity without its id: take the match, or keep them new.",
)  # fmt: skip
@click.pass_context
def import_(ctx: click.Context, paths: tuple[Path, ...], dry_run: bool, matches: str) -> None:
    """Import spreadsheets (.xlsx, .ods, .csv or a folder of CSV files), all or nothing.

    Prints what would change (new, changed, unchanged; match proposals; every row that
    fails, by sheet, row and column), then applies exactly that.

    \b
    Example:
        ecomap import ecosystem.xlsx --dry-run
        ecomap import entities.csv ties.csv
        ecomap import exported/ --matches new
    """
    from graph.load.import_apply import apply_plan, preview_import

    take = None if matches == "take" else ()
    with open_store_of(ctx) as store:
        try:
            counter = _RowCounter()
            plan = preview_import(store, list(paths), take=take, progress=counter)
            counter.finish()
            _echo_plan(plan)
            if not plan.ok:
                raise click.ClickException(f"{len(plan.problems)} problems: nothing imported")
            if dry_run:
                return
            total = len(plan.nodes) + len(plan.relationships) + len(plan.new_sources)
            with click.progressbar(
                length=total, label="importing", file=sys.stderr, hidden=total < 5000
            ) as bar:
                summary = apply_plan(store, plan, progress=bar.update)
        except EcomapError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"imported: {summary.describe()}")


class _RowCounter:
    """Say how many rows were read so far (on a terminal), then that they are compared."""

    def __init__(self) -> None:
        self.rows = 0
        self.shown = sys.stderr.isatty()

    def __call__(self, step: int) -> None:
        self.rows += step
        if self.shown:
            click.echo(f"\rread {self.rows:,} rows", nl=False, err=True)

    def finish(self) -> None:
        if self.shown and self.rows:
            click.echo("", err=True)


def _echo_plan(plan: ImportPlan) -> None:
    for name, counts in plan.summary().items():
        click.echo(
            f"{name:<9} {counts['new']:>7} new {counts['changed']:>7} changed "
            f"{counts['unchanged']:>7} unchanged"
        )
    for section in (plan.entities, plan.ties, plan.sources):
        changed = [c for c in section.shown if c.status == "changed"][:SHOWN_CHANGES]
        for change in changed:
            fields = "; ".join(f"{k}: {old!r} → {new!r}" for k, (old, new) in change.fields.items())
            click.echo(f"  changed {change.group} {change.id}: {fields}")
    for proposal in plan.proposals:
        action = "taken" if proposal.taken else "kept new"
        click.echo(
            f"  match {proposal.sheet} row {proposal.row} '{proposal.name}' = "
            f"{proposal.match.entity_id} ({proposal.match.how}): {action}"
        )
    for problem in plan.problems[:100]:
        click.echo(f"  {problem}", err=True)
    if len(plan.problems) > 100:
        click.echo(f"  … and {len(plan.problems) - 100} more", err=True)


@click.command()
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), required=True,
    help="File to write: .xlsx, .graphml or .gexf; a folder (or .csv) for CSV files.",
)  # fmt: skip
@click.option("--entity", "ids", multiple=True, metavar="ID", help="Export only these entities "
              "and the ties among them (repeat).")  # fmt: skip
@click.pass_context
def export(ctx: click.Context, output: Path, ids: tuple[str, ...]) -> None:
    """Export the graph as XLSX, CSV files, GraphML or GEXF (the format from -o's suffix).

    \b
    Example:
        ecomap export -o ecosystem.xlsx
        ecomap export -o ecosystem.gexf
        ecomap export -o csv/
    """
    fmt = FORMATS.get(output.suffix.lower())
    if fmt is None:
        raise click.BadParameter("use .xlsx, .graphml, .gexf or a folder", param_hint="-o")
    with open_store_of(ctx) as store:
        try:
            counts = store.counts()
            total = counts["nodes"].get("Entity", 0) + sum(counts["relationships"].values())
            with click.progressbar(
                length=total, label="exporting", file=sys.stderr, hidden=total < 5000
            ) as bar:
                _export(store, fmt, output, list(ids) or None, bar.update)
        except EcomapError as error:
            raise click.ClickException(str(error)) from None
    click.echo(f"wrote {output}", err=True)


def _export(
    store: Store, fmt: str, output: Path, ids: list[str] | None, progress: Progress
) -> None:
    if fmt == "csv":
        folder = output.with_suffix("") if output.suffix else output
        write_csv_folder(store, folder, ids, progress)
    else:
        writer = {"xlsx": write_xlsx, "graphml": write_graphml, "gexf": write_gexf}[fmt]
        writer(store, output, ids, progress)
