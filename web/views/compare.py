"""``/compare?ids=oulu,sendai[,…]``: ecosystems side by side, with charts drawn on the server;
a ``.json`` twin and an embed (``/embed/compare``)."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort
from flask.typing import ResponseReturnValue

from graph.analysis.compare import compare
from web import request_args as params
from web.analysis import metrics, snapshot, this_year
from web.render.charts import bar_chart, line_chart
from web.responses import cited, respond, source_titles, wants_json_twin

bp = Blueprint("compare", __name__)
MAX_ECOSYSTEMS = 6


def compare_data() -> dict[str, Any]:
    """Return the comparison the request asks for; 404 for an unknown id."""
    ids = params.entity_ids("ids")
    if len(ids) > MAX_ECOSYSTEMS:
        raise params.bad(f"'ids' takes at most {MAX_ECOSYSTEMS} ecosystems")
    year = params.integer("year", this_year(), 1800, 2200)
    assert year is not None
    current = snapshot()
    for entity_id in ids:
        if entity_id not in current.index:
            abort(404, description=f"No entity has the id '{entity_id}'.")
    data = compare(current, metrics(year), list(dict.fromkeys(ids)))
    ties = [*data["between"], *(t for s in data["shared_partners"] for v in s["ties"].values()
                                for t in v)]  # fmt: skip
    data["sources"] = cited(ties)
    data["source_titles"] = source_titles()
    data["ids"] = ids
    return data


def charts(data: dict[str, Any]) -> dict[str, Any]:
    """Return the SVG charts of a comparison: agreements per year, ties abroad per ecosystem."""
    names = [e["root"]["name"] for e in data["ecosystems"]]
    in_force = {n: e["agreements_in_force"] for n, e in zip(names, data["ecosystems"], strict=True)}
    return {
        "agreements": line_chart(data["years"], in_force, "Agreements in force per year"),
        "abroad": {
            e["root"]["id"]: bar_chart(
                e["abroad"], f"Ties abroad of {e['root']['name']} by country"
            )
            for e in data["ecosystems"]
        },
    }


@bp.get("/compare.json")
@bp.get("/compare")
def compare_page() -> ResponseReturnValue:
    """Compare ecosystems: members, agreements over time, ties abroad, density, brokers."""
    if not params.text("ids"):
        return respond("compare.html", {"ids": [], "ecosystems": [], "year": this_year()})
    data = compare_data()
    if not wants_json_twin():
        data["charts"] = charts(data)
    return respond("compare.html", data)
