"""``ecomap intake FILE``: read a document and print the entities and ties it proposes."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import click

from graph.intake.documents import read_path
from graph.intake.evidence import unverified_quotes
from graph.intake.known import digest_of, read_lexicon, read_ties, source_with_digest
from graph.intake.proposals import Proposals, propose
from web.cli.context import open_store_of


@click.command()
@click.argument("path", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--format", "output", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs")  # fmt: skip
@click.pass_context
def intake(ctx: click.Context, path: Path, output: str) -> None:
    """Propose the entities and ties a document (.txt, .html, .pdf, .docx) names.

    Known entities are given by id, new ones by name; each tie quotes its sentence.
    Nothing is written: take a document in and review it at /intake.

    \b
    Example:
        ecomap intake article.html --format json
    """
    started = time.perf_counter()
    document = read_path(path, progress=_page_progress)
    with open_store_of(ctx) as store:
        lexicon, ties = read_lexicon(store), read_ties(store)
        seen = source_with_digest(store, digest_of(document.text))
    proposals = propose(document.text, lexicon, title=document.title, existing_ties=ties)
    for note in document.notes:
        click.echo(f"note: {note}", err=True)
    if seen:
        click.echo(f"note: this document was already taken in, as source '{seen}'", err=True)
    if output == "json":
        click.echo(json.dumps(proposals.as_json(), ensure_ascii=False, indent=2))
    else:
        _echo_text(proposals)
    click.echo(f"{len(proposals.entities)} entities, {len(proposals.ties)} ties "
               f"in {time.perf_counter() - started:.2f} s", err=True)  # fmt: skip


def _page_progress(done: int, total: int) -> None:
    if total >= 20 and sys.stderr.isatty():
        click.echo(f"\rreading page {done}/{total}", err=True, nl=done == total)


def _echo_text(proposals: Proposals) -> None:
    for entity in proposals.entities.values():
        status = f"known {entity.key}" if entity.matched else f"new, {entity.confidence:.0%}"
        click.echo(f"{entity.kind:<13}{entity.name}  ({status}; {entity.reason})")
    for tie in proposals.ties:
        date = f" [{tie.date}]" if tie.date else ""
        click.echo(
            f"{proposals.label(tie.from_key)} -{tie.type}-> {proposals.label(tie.to_key)}"
            f"{date}  ({tie.reason})\n    “{tie.quote}”"
        )


@click.command("check-evidence")
@click.pass_context
def check_evidence(ctx: click.Context) -> None:
    """Check that every quote citing a taken-in document is verbatim in its stored text.

    \b
    Example:
        ecomap check-evidence
    """
    with open_store_of(ctx) as store:
        checked, wrong = unverified_quotes(store)
    for item in wrong:
        click.echo(f"{item.fact}: not in {item.source}: “{item.quote[:80]}”")
    click.echo(f"{checked - len(wrong)} of {checked} quotes verbatim in their source's text")
    if wrong:
        ctx.exit(1)
