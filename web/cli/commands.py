"""The ``ecomap`` command line: status, queries, seeding, and serving the app."""

from __future__ import annotations

import json
import logging
import signal
import sys
import threading
from pathlib import Path
from urllib.parse import urlsplit

import click

from graph.library.saved_queries import SavedQuery, load_library
from graph.load.loader import LoadSummary, load_seeds
from graph.load.validation import Seeds, read_seeds
from graph.store.base import Store
from graph.store.results import Result
from web.cli import accounts, transfer
from web.cli.agreements import agreements_command
from web.cli.context import open_store_of, settings_of
from web.cli.error_messages import EcomapGroup
from web.cli.intake import check_evidence, intake
from web.render.formatting import FORMATS
from web.settings import load_app_settings


@click.group(cls=EcomapGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--graph", metavar="URL", help="Database: embedded, falkordb://…, bolt://, neo4j://")
@click.option("--data-dir", type=click.Path(file_okay=False), help="Embedded data directory.")
@click.option("-v", "--verbose", is_flag=True, help="Log what the store does.")
@click.pass_context
def main(ctx: click.Context, graph: str | None, data_dir: str | None, verbose: bool) -> None:
    """Ecomap: explore who knows whom in innovation ecosystems.

    \b
    Example:
        ecomap status
        ecomap --graph bolt://localhost:7687 query "MATCH (n:City) RETURN n.name"
    """
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(name)s: %(message)s",
    )
    ctx.obj = load_app_settings().but(graph=graph, data_dir=data_dir)


@main.command()
@click.pass_context
def status(ctx: click.Context) -> None:
    """Show the backend, whether its server is up, and what the graph holds.

    \b
    Example:
        ecomap status
    """
    with open_store_of(ctx) as store:
        info, counts = store.describe(), store.counts()
    up = "up" if info["up"] else "DOWN"
    pid = f", pid {info['pid']}" if "pid" in info else ""
    click.echo(f"backend        {info['backend']} ({up}{pid})")
    click.echo(f"location       {info['location']}")
    click.echo(f"graph          {info['graph']}")
    _echo_counts("nodes", counts["nodes"])
    _echo_counts("relationships", counts["relationships"])


def _echo_counts(title: str, counts: dict[str, int]) -> None:
    shown = {k: v for k, v in counts.items() if k != "Entity"}
    total = counts.get("Entity", sum(shown.values())) if title == "nodes" else sum(shown.values())
    click.echo(f"{title:<15}{total}")
    for name, count in sorted(shown.items(), key=lambda item: (-item[1], item[0])):
        click.echo(f"  {name:<24}{count:>8}")


def parse_param(text: str) -> tuple[str, object]:
    """Split ``name=value``; the value is read as JSON when it is JSON, else as text."""
    name, sep, raw = text.partition("=")
    if not sep or not name:
        raise click.BadParameter(f"{text!r} is not name=value", param_hint="-p")
    try:
        return name, json.loads(raw)
    except ValueError:
        return name, raw


LIBRARY = click.option(
    "--library",
    type=click.Path(file_okay=False, path_type=Path),
    help="The folder of saved queries (default: ECOMAP_QUERIES_DIR, the project's queries/).",
)


@main.command()
@click.argument("cypher", required=False)
@click.option("--saved", metavar="SLUG", help="Run the saved query SLUG (see ecomap queries).")
@click.option(
    "-p",
    "--param",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter; the value is JSON (42, true, [1,2]) or else text. With --saved it is "
    "text, typed by the saved query (a list as a,b or by repeating -p).",
)
@click.option(
    "--format", "fmt", type=click.Choice(sorted(FORMATS)), default="table", show_default=True
)
@LIBRARY
@click.pass_context
def query(
    ctx: click.Context,
    cypher: str | None,
    saved: str | None,
    params: tuple[str, ...],
    fmt: str,
    library: Path | None,
) -> None:
    """Run a read-only Cypher query, or a saved one (time-limited, row-capped).

    \b
    Example:
        ecomap query "MATCH (c:City) RETURN c.name AS city" --format csv
        ecomap query "MATCH (n {id: $id}) RETURN n" -p id=oulu --format json
        ecomap query --saved partners-of -p org=oulu
        ecomap query --saved ties-between-countries -p country_a=FI -p country_b=JP
    """
    if cypher is not None and saved is None:
        values = dict(parse_param(p) for p in params)
        with open_store_of(ctx) as store:
            result = store.read(cypher, values)
    elif saved is not None and cypher is None:
        result = _run_saved(ctx, library, saved, _text_params(params))
    else:
        raise click.UsageError("give either CYPHER or --saved SLUG (exactly one)")
    text = FORMATS[fmt](result)
    click.echo(text, nl=not text.endswith("\n"))
    if result.truncated:
        click.echo(f"(first {len(result.rows)} rows; the row cap cut the rest)", err=True)


def _text_params(params: tuple[str, ...]) -> dict[str, str | list[str]]:
    """Collect ``name=value`` texts; a name given more than once becomes a list."""
    values: dict[str, str | list[str]] = {}
    for text in params:
        name, sep, raw = text.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{text!r} is not name=value", param_hint="-p")
        if name in values:
            before = values[name]
            values[name] = [*before, raw] if isinstance(before, list) else [before, raw]
        else:
            values[name] = raw
    return values


def _run_saved(
    ctx: click.Context, library: Path | None, slug: str, values: dict[str, str | list[str]]
) -> Result:
    saved = load_library(library or settings_of(ctx).queries_dir).get(slug)
    saved.bind(values)
    with open_store_of(ctx) as store:
        return saved.run(store, values)


@main.command()
@LIBRARY
@click.pass_context
def queries(ctx: click.Context, library: Path | None) -> None:
    """List the saved queries: slug, title and parameters.

    \b
    Example:
        ecomap queries
        ecomap query --saved agreements-valid-in -p year=2022
    """
    found = load_library(library or settings_of(ctx).queries_dir)
    for saved in found:
        click.echo(f"{saved.slug:<28}{saved.title}")
        for line in _describe_params(saved):
            click.echo(f"  {line}")


def _describe_params(saved: SavedQuery) -> list[str]:
    width = max((len(p.name) for p in saved.params), default=0)
    lines = []
    for param in saved.params:
        parts = [param.type]
        if param.required:
            parts.append("required")
        elif param.default is None:
            parts.append("optional")
        else:
            parts.append(f"default {_shown_value(param.default)}")
        if isinstance(param.choices, tuple):
            parts.append("one of " + "|".join(map(str, param.choices)))
        elif param.choices:
            parts.append(f"choices from {param.choices}")
        if param.depends_on:
            parts.append("after " + ", ".join(param.depends_on))
        if param.example is not None:
            parts.append(f"e.g. {_shown_value(param.example)}")
        lines.append(f"-p {param.name:<{width}}  {'; '.join(parts)}")
    return lines


def _shown_value(value: object) -> str:
    if isinstance(value, bool):
        return str(value).lower()
    return ",".join(value) if isinstance(value, list) else str(value)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Validate only; write nothing.")
@click.option("--reset", is_flag=True, help="Replace the whole graph with these files.")
@click.option("--yes", is_flag=True, help="Do not ask before --reset.")
@click.option("--if-empty", is_flag=True, help="Load only when the graph holds no entity.")
@click.pass_context
def seed(
    ctx: click.Context,
    paths: tuple[Path, ...],
    dry_run: bool,
    reset: bool,
    yes: bool,
    if_empty: bool,
) -> None:
    """Validate seed files and load them, all or nothing (default: the project's seeds/).

    \b
    Example:
        ecomap seed
        ecomap seed seeds/ extra/partners.yaml --dry-run
        ecomap seed --reset --yes
    """
    folder = settings_of(ctx).seeds_dir
    seeds = read_seeds(list(paths) or [folder], root=None if paths else folder.parent)
    click.echo(
        f"{len(seeds.nodes)} nodes, {len(seeds.relationships)} relationships and "
        f"{len(seeds.sources)} sources are valid",
        err=True,
    )
    if dry_run:
        return
    if reset and not yes:
        click.confirm("Replace everything in the graph with these files?", abort=True, err=True)
    with open_store_of(ctx) as store:
        if if_empty and store.counts()["nodes"].get("Entity"):
            click.echo("the graph already holds entities; nothing loaded", err=True)
            return
        summary = _load_with_progress(store, seeds, reset=reset)
    click.echo(f"loaded: {summary.describe()}")
    if summary.conflicts:
        click.echo(f"{len(summary.conflicts)} conflicts (people's edits kept):", err=True)
        for line in summary.conflicts:
            click.echo(f"  {line}", err=True)


def _load_with_progress(store: Store, seeds: Seeds, *, reset: bool = False) -> LoadSummary:
    show = len(seeds) >= 5000 and sys.stderr.isatty()
    with click.progressbar(
        length=len(seeds), label="loading", file=sys.stderr, hidden=not show
    ) as bar:
        return load_seeds(store, seeds, progress=bar.update, reset=reset)


@main.command("export-html")
@click.argument("url")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="The HTML file to write.",
)
@click.option(
    "--base-url",
    metavar="URL",
    help="Where the file's 'Open in Ecomap' link points "
    "(default: URL's own origin, else http://127.0.0.1:5000).",
)
@click.pass_context
def export_html(ctx: click.Context, url: str, output: Path, base_url: str | None) -> None:
    """Write one view as a self-contained HTML file: scripts, styles and data inside.

    URL is a network, paths, common-connections or saved-query view, as a path or a full URL.

    \b
    Example:
        ecomap export-html "/network/oulu?hops=2" -o oulu.html
        ecomap export-html "/queries/partners-of?org=oulu" -o partners.html
    """
    from web.cli.snapshot import snapshot_html

    path, origin = _embed_path_and_origin(url, default_origin="http://127.0.0.1:5000")
    html = snapshot_html(settings_of(ctx), path, base_url or origin)
    output.write_text(html, encoding="utf-8")
    click.echo(f"wrote {output} ({len(html.encode()) // 1024} KiB)", err=True)


def _embed_path_and_origin(url: str, *, default_origin: str) -> tuple[str, str]:
    """Return the embed path of a view's URL and the URL's origin (or ``default_origin``)."""
    from web.views.embed_links import embed_path

    try:
        path = embed_path(url)
    except ValueError as error:
        raise click.BadParameter(str(error), param_hint="URL") from None
    parts = urlsplit(url)
    return path, f"{parts.scheme}://{parts.netloc}" if parts.netloc else default_origin


@main.command("sign-link")
@click.argument("url")
@click.option(
    "--days", type=click.IntRange(1, 365), help="How long the link opens the view (1 to 365)."
)
@click.pass_context
def sign_link(ctx: click.Context, url: str, days: int | None) -> None:
    """Print a signed, expiring embed link for one view (for ECOMAP_ACCESS=proxy).

    \b
    Example:
        ecomap sign-link "https://ecomap.example.org/network/oulu?hops=2" --days 90
    """
    from web.signing import sign

    settings = settings_of(ctx)
    if not settings.secret_key:
        raise click.ClickException("signing needs ECOMAP_SECRET_KEY (the app's secret)")
    path, origin = _embed_path_and_origin(url, default_origin="")
    click.echo(origin + sign(settings.secret_key, path, days=days or settings.link_days))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.pass_context
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Serve the explorer.

    \b
    Example:
        ecomap serve --port 8000
    """
    from web.app import create_app
    from web.cli.server import bind

    settings = settings_of(ctx)
    embedded = settings.data_dir if settings.graph == "embedded" else None
    server = bind(host, port, embedded)  # first, so a busy port is said at once
    # Stop cleanly on SIGTERM as on Ctrl-C, so the embedded server stops with its last user.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    # Answer at once ("starting", 503) while the data loads; then the app takes over.
    serving = threading.Thread(target=server.serve_forever, name="http", daemon=True)
    serving.start()
    server.app = create_app({"SETTINGS": settings})
    click.echo(f"Ecomap on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    while serving.is_alive():
        serving.join(0.5)


main.add_command(transfer.template)
main.add_command(transfer.import_)
main.add_command(transfer.export)
main.add_command(intake)
main.add_command(check_evidence)
main.add_command(agreements_command)
main.add_command(accounts.user)
main.add_command(accounts.token)
