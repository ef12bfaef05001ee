"""The facts a snapshot carries under its drawing: each tie in words with its verbatim quote
and source, so the file still says why when it is opened far from Ecomap."""

from __future__ import annotations

from typing import Any

from flask import render_template
from markupsafe import Markup

from web.render.tie_words import tie_words, type_words

WEB = ("http://", "https://")  # the only source links a snapshot follows


def fact(tie: dict[str, Any], left: str, right: str, sources: dict[str, dict]) -> dict[str, Any]:
    """Return one tie as a line ("Oulu — agreement, 2019–2025 — Sendai") with its evidence."""
    source = sources.get(tie.get("source") or "", {})
    url = source.get("url")
    return {
        "line": f"{left} — {tie_words(tie)} — {right}",
        "evidence": tie.get("evidence"),
        "evidence_en": tie.get("evidence_en"),
        "certainty": tie.get("certainty"),
        "source_title": source.get("title") or tie.get("source"),
        "source_url": url if isinstance(url, str) and url.startswith(WEB) else None,
    }


def paths_sections(data: dict[str, Any], sources: dict[str, dict]) -> list[dict[str, Any]]:
    """Return one section per path: its steps and every tie of each step with its quote."""
    sections = []
    for number, path in enumerate(data["paths"], start=1):
        names = [path["hops"][0]["from"]["name"]] + [hop["to"]["name"] for hop in path["hops"]]
        facts = [
            fact(tie, hop["from"]["name"], hop["to"]["name"], sources)
            for hop in path["hops"]
            for tie in hop["ties"]
        ]
        heading = f"Path {number}: " + " → ".join(names)
        note = f"strength {path['strength']:.2g}"
        sections.append({"heading": heading, "note": note, "facts": facts})
    return sections


def entity_sections(data: dict[str, Any], sources: dict[str, dict]) -> list[dict[str, Any]]:
    """Return one section per group of an entity's ties, each tie with its quote."""
    name = data["entity"]["name"]
    return [
        {
            "heading": type_words(group["type"]).capitalize(),
            "note": f"{len(group['ties'])} tie{'s' if len(group['ties']) != 1 else ''}",
            "facts": [fact(tie, name, tie["other"]["name"], sources) for tie in group["ties"]],
        }
        for group in data["groups"]
    ]


def appendix(title: str, sections: list[dict[str, Any]], **extra: Any) -> Markup:
    """Render the facts under a snapshot's drawing (escaped by Flask's templates)."""
    return Markup(render_template("_snapshot_facts.html", title=title, sections=sections, **extra))
