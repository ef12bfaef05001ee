"""Saved queries: the file format, binding, choices, and every query of the library on the seeds."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from benchmarks.hub_queries import ENUMERATING_PARTNERS_OF_PARTNERS
from graph.errors import QueryError, ReadOnlyError, SavedQueryError
from graph.library.saved_queries import dependency_order, load_library
from graph.model import (
    NODE_FIELDS,
    NODE_LABELS,
    RELATIONSHIP_FIELDS,
    RELATIONSHIP_TYPES,
    SOURCE_FIELDS,
)
from graph.store.guard import READ_PROCEDURES
from tests.conftest import digest
from tests.neo4j_statements import lint_files
from web.cli.commands import main

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = load_library(ROOT / "queries")
LINT = ROOT / "tools" / "cypher-lint"


def write(folder: Path, name: str, text: str) -> Path:
    """Write ``folder/name`` (making folders) and return the folder."""
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return folder


def library_of(tmp_path: Path, **files: str):
    """Load a library made of ``files`` (``choices__x`` names ``choices/x.cypher``)."""
    folder = tmp_path / "queries"
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        write(folder, name.replace("__", "/").replace("_", "-") + ".cypher", text)
    return load_library(folder)


def ids(result, column: str) -> list:
    """Return the ``id`` of the node in ``column`` of every row."""
    return [row[column].properties["id"] for row in result.rows]


# -- every query of the library, with its examples, on the seed data --------------------------

EXPECTED = {
    "agreements-by-year": lambda r: (
        [(x["year"], x["agreements"], x["ids"]) for x in r.rows]
        == [
            ("2019", 1, ["agr-oulu-kanagawa-mou-2019"]),
            ("2020", 1, ["agr-oys-tohoku-mou-2020"]),
            ("2025", 1, ["agr-oys-tohoku-mou-2025"]),
        ]
    ),
    "agreements-expiring": lambda r: (
        ids(r, "r") == ["agr-oulu-sendai-cooperation-2025", "agr-oys-tohoku-mou-2025"]
        and all(row["valid_until"] == "2030" and row["renewals"] == [] for row in r.rows)
    ),
    "agreements-valid-in": lambda r: (
        ids(r, "r")
        == [
            "agr-oulu-sendai-coincubation-2019",
            "agr-oulu-kanagawa-mou-2019",
            "agr-oys-tohoku-mou-2020",
        ]
    ),
    "best-connected": lambda r: (
        [(x["organisation"], x["ties"], x["neighbours"]) for x in r.rows]
        == [
            ("Tohoku University Hospital", 21, 14),
            ("Oulu University Hospital", 14, 10),
            ("Oslo University Hospital", 8, 6),
        ]
    ),
    "chains-between": lambda r: (
        [(x["chain"], x["ties"]) for x in r.rows]
        == [
            (
                [
                    "Kipuwex",
                    "Tohoku University Hospital delegation to Oulu",
                    "Tohoku University Hospital",
                ],
                ["PARTICIPATED_IN", "PARTICIPATED_IN"],
            )
        ]
    ),
    "companies-without-ties": lambda r: (
        [x["company"] for x in r.rows] == ["Finnadvance", "Ikune Labs", "LudoCraft", "Remod"]
    ),
    "event-participants": lambda r: (
        [x["participant"] for x in r.rows]
        == [
            "Cerenion",
            "Kipuwex",
            "Maknee",
            "Medanets",
            "MoveSole",
            "Neurosonic",
            "Nukute",
            "ProWellness",
        ]
        and {x["role"] for x in r.rows} == {"met the delegation"}
    ),
    "find-by-name": lambda r: (
        {
            "oulu-university-hospital",
            "tohoku-university-hospital",
            "oslo-university-hospital",
            "tampere-university-hospital",
            "aalborg-new-university-hospital",
        }
        <= set(ids(r, "node"))
        and "oulu" not in ids(r, "node")
    ),
    "hospital-testbeds": lambda r: (
        [(x["hospital"], x["programme"], x["collaborates_with"]) for x in r]
        == [
            ("Oulu University Hospital", "Future Hospital concept", None),
            ("Oulu University Hospital", "OYS Testlab", "Open Bed Lab"),
        ]
    ),
    "in-several-programmes": lambda r: (
        [(x["organisation"], x["count"]) for x in r.rows]
        == [
            ("Oulu University Hospital", 3),
            ("Oslo University Hospital", 2),
        ]  # Tohoku has no stated part in the planned exchange programme
    ),
    "partners-of": lambda r: (
        [(x["partner"], x["signed"]) for x in r.rows]
        == [
            ("Kanagawa Prefecture", "2019-11-14"),
            ("Sendai", "2025-01-14"),
            ("Sendai", "2019-11-13"),
            ("Sendai", "2014"),
            ("Sendai", "2005"),
        ]
    ),
    "partners-of-partners": lambda r: (
        [(x["reachable"], x["chain"][2]) for x in r.rows]
        == [
            ("City of Helsinki Social Services and Health Care Division", "Forum Virium Helsinki"),
            ("Kanagawa Prefecture", "Oulu"),
            ("Sendai", "Oulu"),
        ]
    ),
    "people-and-organisations": lambda r: (
        sorted((x["person"], x["role"]) for x in r.rows)
        == [
            ("Gorm Simonsen", "Project Manager"),
            ("Lars Hvilsted Rasmussen", "Dean"),
            ("Lasse Frimand Jensen", "Mayor"),
            ("Mads Duedahl", "Chair of the Regional Council"),
            ("Per Michael Johansen", "Rector"),
        ]
    ),
    "programme-funders": lambda r: (
        [(x["funder"], x["amount"], x["currency"]) for x in r.rows]
        == [("Uusimaa Regional Council", 1894253, "EUR")]
    ),
    "programme-partners": lambda r: (
        sorted(x["member"] for x in r if x["tie"] == "FOUNDED")
        == ["Norway Health Tech", "Oslo Science Park", "Oslo University Hospital"]
        and len([x for x in r if x["tie"] == "FUNDS"]) == 6
        and len(r) == 20
    ),
    "ties-between-countries": lambda r: (
        len(r) == 33
        and sum(x["tie"] == "AGREEMENT" for x in r) == 7
        and {(x["from_country"], x["to_country"]) for x in r} == {("FI", "JP"), ("JP", "FI")}
    ),
    "ties-of-organisation": lambda r: (
        len(r) == 14
        and {x["other"] for x in r if x["tie"] == "AGREEMENT"} == {"Tohoku University Hospital"}
        and {x["other"] for x in r if x["tie"] == "HOSTS"}
        == {"Future Hospital concept", "OYS Testlab"}
    ),
}


def test_the_library_has_an_expectation_for_every_query():
    assert [q.slug for q in LIBRARY] == sorted(EXPECTED)
    assert len(LIBRARY) >= 12


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_query_gives_its_expected_rows_with_its_examples(seeded, slug):
    saved = LIBRARY.get(slug)
    result = saved.run(seeded, saved.examples())
    assert result.rows and not result.truncated
    assert {"source", "evidence"} <= set(result.columns), "downloads must carry the sources"
    assert EXPECTED[slug](result), [
        {k: v for k, v in row.items() if isinstance(v, str | int | list)} for row in result.rows
    ]


def _chains(result) -> list[tuple]:
    return [
        (
            [n.properties["id"] for n in row["p"].nodes],
            [r.properties["id"] for r in row["p"].relationships],
            row["reachable"],
            row["chain"],
            row["source"],
            row["evidence"],
        )
        for row in result.rows
    ]


OWN_PARTNERS = """
MATCH (:Entity {id: $org})-[:AGREEMENT|COLLABORATES_WITH|PARTNER_IN]-(b:Entity)
RETURN collect(b.id) AS own
"""


def test_partners_of_partners_by_distance_gives_the_rows_of_every_chain(seeded):
    """The search by distance picks, for every organisation of the seeds, the chains that
    listing every chain of 2 to 4 ties and keeping the first by length and tie ids picked.
    A programme's own partners are no longer listed (they were, through chains that come back).
    """
    saved = LIBRARY.get("partners-of-partners")
    organisations = saved.choices(seeded, "org", {})
    assert len(organisations) > 50
    dropped, rows = 0, 0
    for option in organisations:
        values = {"org": option["value"]}
        by_distance = _chains(saved.run(seeded, values))
        enumerated = _chains(seeded.read(ENUMERATING_PARTNERS_OF_PARTNERS, values))
        own = seeded.read(OWN_PARTNERS, values).value()
        kept = [row for row in enumerated if row[0][-1] not in own]
        assert by_distance == kept, option["value"]
        dropped += len(enumerated) - len(kept)
        rows += len(enumerated)
        assert option["label"].endswith("(Programme)") or kept == enumerated
    assert dropped and rows > 50


@pytest.mark.parametrize("slug", sorted(EXPECTED))
def test_every_column_has_a_title_and_the_table_keeps_a_name_and_the_evidence(seeded, slug):
    saved = LIBRARY.get(slug)
    result = saved.run(seeded, saved.examples())
    assert [c for c in result.columns if c not in saved.columns] == [], "columns without titles"
    shown = {c: saved.column_title(c) for c in result.columns if saved.column_title(c)}
    assert all(len(t) >= 2 and "_" not in t and t[0].isupper() for t in shown.values()), shown
    assert "evidence" in shown and len(shown) >= 3
    assert [c for c in saved.columns if c not in result.columns] == [], "titles of no column"


def test_a_column_without_a_title_line_is_titled_from_its_name(tmp_path):
    library = library_of(
        tmp_path, q="// title: T\n// column: a -\n// column: b Partner\n\nRETURN 1"
    )
    saved = library.get("q")
    assert [saved.column_title(c) for c in ("a", "b", "valid_until")] == [
        "",
        "Partner",
        "Valid until",
    ]


@pytest.mark.parametrize("name", sorted(LIBRARY.choice_queries))
def test_choices_query_returns_value_and_label(seeded, name):
    saved = next(q for q in LIBRARY for p in q.params if p.choices == name)
    param = next(p for p in saved.params if p.choices == name)
    options = saved.choices(seeded, param.name, saved.examples())
    assert options and all(set(o) == {"value", "label"} and o["label"] for o in options)
    assert saved.examples()[param.name] in [o["value"] for o in options]


def test_every_query_names_its_form_fields():
    for saved in LIBRARY:
        assert saved.title and saved.description, saved.slug
        assert all(p.label for p in saved.params), saved.slug


# -- finding parameters -----------------------------------------------------------------------

HEADER = "// title: T\n// param: a example=x\n\n"


@pytest.mark.parametrize(
    "body",
    [
        "RETURN $a // and $b in a comment",
        "RETURN $a /* $b\n spans lines $c */",
        "RETURN $a, '$b' AS s, \"$c\" AS t",
        "RETURN $a, 'it''s $b' AS s, 'say \\'$c\\'' AS t",
        "MATCH (n) RETURN $a AS `$b`, n.`x$c`",
    ],
)
def test_parameters_in_comments_strings_and_backticks_are_not_parameters(tmp_path, body):
    saved = library_of(tmp_path, q=HEADER + body).get("q")
    assert [p.name for p in saved.params] == ["a"]


def test_a_used_parameter_that_is_not_declared_names_file_line_and_parameter(tmp_path):
    text = HEADER + "MATCH (n)\n/* a comment\nover lines */\nWHERE n.id = $a\nRETURN $b"
    with pytest.raises(SavedQueryError) as caught:
        library_of(tmp_path, q=text)
    assert str(caught.value) == (
        "queries/q.cypher, line 8: $b is used but not declared (add a '// param: b ...' line)"
    )


def test_a_declared_parameter_that_is_not_used_names_file_line_and_parameter(tmp_path):
    text = "// title: T\n// param: a example=x\n// param: unused example=y\n\nRETURN $a // $unused"
    with pytest.raises(SavedQueryError) as caught:
        library_of(tmp_path, q=text)
    assert str(caught.value) == (
        "queries/q.cypher, line 3: $unused is declared but the query never uses it"
    )


def test_header_is_stripped_and_the_header_read(tmp_path):
    text = (
        "// title: Agreements\n// description: One line,\n// description: and another.\n"
        '// param: year type=int default=2020 example=2022 label="The year"\n'
        "// param: kinds type=list default= choices=a|b|c example=a,c\n\n"
        "// a comment of the query\nRETURN $year AS y, $kinds AS k\n"
    )
    saved = library_of(tmp_path, q=text).get("q")
    assert (saved.title, saved.description) == ("Agreements", "One line, and another.")
    assert saved.text_for("falkordb") == "// a comment of the query\nRETURN $year AS y, $kinds AS k"
    year, kinds = saved.params
    assert (year.type, year.default, year.example, year.label, year.required) == (
        "int",
        2020,
        2022,
        "The year",
        False,
    )
    assert (kinds.default, kinds.example, kinds.choices) == (None, ["a", "c"], ("a", "b", "c"))


BAD_HEADERS = [
    ("// title: T\n// color: red\n", "line 2: unknown header key 'color' (known: title,"),
    ("// title: T\n// just a note\n", "line 2: a header line is '// key: value', not '// just a"),
    ("// title: T\n// title: U\n", "line 2: title is given twice"),
    ("// title: T\n// dialect: sqlite\n", "line 2: dialect is one of any, falkordb, neo4j, not 's"),
    ("// description: no title\n", "queries/q.cypher: the header needs a // title: line"),
    ("// title: T\n// param: a type=integer example=1\n", "line 2: $a: type is one of text, int,"),
    ("// title: T\n// param: a type=int default=ten\n", "$a: default must be a whole number, n"),
    ("// title: T\n// param: a type=date example=2024-13\n", "$a: example must be a date: YYYY, "),
    ("// title: T\n// param: a type=bool example=maybe\n", "$a: example must be true or false, "),
    ("// title: T\n// param: a type=float example=1e999\n", "$a: example must be a number, not '"),
    ("// title: T\n// param: a colour=red example=1\n", "$a: unknown setting 'colour=red' (kn"),
    ("// title: T\n// param: a\n", "line 2: $a: a parameter with no default needs an example"),
    ('// title: T\n// param: a label="open example=1\n', "line 2: cannot read the param line:"),
    ("// title: T\n// param: 1a example=1\n", "line 2: '1a' is not a parameter name"),
    ("// title: T\n// param: a example=1\n// param: a example=2\n", "line 3: $a is declared twi"),
    ("// title: T\n// param: a choices=x|y example=z\n", "$a: example: 'z' is not one of its c"),
    ("// title: T\n// param: a choices=nowhere example=1\n", "no choices query choices/nowhere.c"),
    ("// title: T\n// param: a choices=x|y depends_on=b example=x\n", "depends_on $b, which is"),
    ("// title: T\n// param: b example=1\n// param: a example=x depends_on=b\n", "depends_on ne"),
    ("// title: T\n// column: a\n", "line 2: a column line is '// column: NAME Title' or"),
    ("// title: T\n// column: 1a One\n", "line 2: a column line is '// column: NAME Title'"),
    ("// title: T\n// column: a A\n// column: a B\n", "line 3: column a is titled twice"),
]


@pytest.mark.parametrize("header, message", BAD_HEADERS)
def test_bad_header_is_refused_with_file_and_line(tmp_path, header, message):
    params = [line.split()[2] for line in header.splitlines() if line.startswith("// param:")]
    uses = ", ".join(f"${name}" for name in params if name.isidentifier()) or "1"
    with pytest.raises(SavedQueryError) as caught:
        library_of(tmp_path, q=f"{header}\nRETURN {uses}")
    assert message in str(caught.value)
    assert str(caught.value).startswith("queries/q.cypher")


CHOICES = "// title: Cities\n// param: country example=FI\n\nRETURN $country AS value, 1 AS label"


def test_depends_on_cycle_is_refused(tmp_path):
    text = (
        "// title: T\n// param: a choices=c depends_on=b example=x\n"
        "// param: b choices=c depends_on=a example=y\n\nRETURN $a, $b"
    )
    with pytest.raises(SavedQueryError, match=r"line 2: \$a: depends_on makes a cycle back to"):
        library_of(tmp_path, q=text, choices__c="// title: C\n\nRETURN 1 AS value, 1 AS label")


def test_dependency_order_puts_each_parameter_after_those_it_depends_on(tmp_path):
    text = (
        "// title: T\n// param: city choices=cities depends_on=country example=oulu\n"
        "// param: country example=FI\n\nRETURN $city, $country"
    )
    saved = library_of(tmp_path, q=text, choices__cities=CHOICES).get("q")
    assert [p.name for p in saved.params] == ["city", "country"]
    assert [p.name for p in dependency_order(saved.params)] == ["country", "city"]


def test_choices_query_using_a_parameter_needs_depends_on(tmp_path):
    text = "// title: T\n// param: country example=FI\n// param: city choices=cities example=oulu"
    with pytest.raises(SavedQueryError) as caught:
        library_of(tmp_path, q=text + "\n\nRETURN $country, $city", choices__cities=CHOICES)
    assert str(caught.value) == (
        "queries/q.cypher, line 3: $city: queries/choices/cities.cypher uses $country, "
        "so add depends_on=country"
    )


def test_a_choices_query_is_checked_like_a_query(tmp_path):
    with pytest.raises(SavedQueryError, match=r"choices/cities.cypher, line 4: \$land is used"):
        library_of(tmp_path, choices__cities=CHOICES.replace("$country AS", "$land AS"))


def test_file_with_no_query_is_refused(tmp_path):
    with pytest.raises(SavedQueryError, match="q.cypher: there is no query after the header"):
        library_of(tmp_path, q="// title: T\n\n")


def test_unknown_slug_is_refused():
    with pytest.raises(SavedQueryError, match="no saved query named 'nope'"):
        LIBRARY.get("nope")


# -- twins --------------------------------------------------------------------------------------

FALKOR = "// title: T\n// dialect: falkordb\n// param: w example=x\n\nRETURN 'falkordb', $w"
NEO4J = "// title: T\n// dialect: neo4j\n// param: w example=x\n\nRETURN 'neo4j', $w"


def test_twin_is_picked_by_dialect(tmp_path):
    write(tmp_path / "queries", "q.neo4j.cypher", NEO4J)
    saved = library_of(tmp_path, q=FALKOR).get("q")
    assert saved.text_for("falkordb") == "RETURN 'falkordb', $w"
    assert saved.text_for("neo4j") == "RETURN 'neo4j', $w"


def test_library_twin_runs_its_falkordb_variant(seeded):
    saved = LIBRARY.get("find-by-name")
    assert "db.idx.fulltext.queryNodes" in saved.text_for(seeded.dialect.name)
    assert "db.index.fulltext.queryNodes" in saved.text_for("neo4j")


def test_query_for_one_dialect_only_is_refused_on_the_other(tmp_path):
    saved = library_of(tmp_path, q=NEO4J).get("q")
    with pytest.raises(SavedQueryError, match="q has no falkordb variant \\(only neo4j\\)"):
        saved.text_for("falkordb")


@pytest.mark.parametrize(
    "main, twin, message",
    [
        (FALKOR.replace("falkordb", "any", 1), NEO4J, "it has a Neo4j twin (queries/q.neo4j.c"),
        (FALKOR, NEO4J.replace("dialect: neo4j", "dialect: falkordb"), "twin is // dialect: neo"),
        (FALKOR, NEO4J.replace("example=x", "example=y"), "its // param: lines must be those of"),
        (None, NEO4J, "queries/q.neo4j.cypher has no q.cypher to be a twin of"),
    ],
)
def test_bad_twins_are_refused(tmp_path, main, twin, message):
    write(tmp_path / "queries", "q.neo4j.cypher", twin)
    with pytest.raises(SavedQueryError) as caught:
        library_of(tmp_path, **({"q": main} if main else {}))
    assert message in str(caught.value)


# -- binding form values ----------------------------------------------------------------------

TYPED = (
    "// title: T\n// param: n type=int example=1\n// param: x type=float default=0.5\n"
    "// param: b type=bool default=false\n// param: d type=date default=2020\n"
    "// param: l type=list default=a,b\n// param: t default= choices=red|green\n\n"
    "RETURN $n, $x, $b, $d, $l, $t"
)


@pytest.fixture
def typed(tmp_path):
    return library_of(tmp_path, q=TYPED).get("q")


def test_bind_converts_form_text_to_types(typed):
    raw = {"n": " 42 ", "x": "2.5", "b": "yes", "d": "2019-11", "l": "x, y,,z", "t": "red"}
    assert typed.bind(raw) == {
        "n": 42,
        "x": 2.5,
        "b": True,
        "d": "2019-11",
        "l": ["x", "y", "z"],
        "t": "red",
    }


def test_bind_fills_defaults_and_keeps_typed_values(typed):
    assert typed.bind({"n": 7, "l": ["p", "q"], "t": ""}) == {
        "n": 7,
        "x": 0.5,
        "b": False,
        "d": "2020",
        "l": ["p", "q"],
        "t": None,
    }


@pytest.mark.parametrize(
    "raw, message",
    [
        ({"n": "4.5"}, "q: $n must be a whole number, not '4.5'"),
        ({"n": True}, "q: $n must be a whole number, not True"),
        ({"n": "1", "x": "nan"}, "q: $x must be a number, not 'nan'"),
        ({"n": "1", "b": "maybe"}, "q: $b must be true or false, not 'maybe'"),
        ({"n": "1", "d": "2019-02-30"}, "q: $d must be a date: YYYY, YYYY-MM or YYYY-MM-DD, not"),
        ({"n": ["1", "2"]}, "q: $n takes one value, not 2"),
        ({}, "q: $n is required"),
        ({"n": "  "}, "q: $n is required"),
        ({"n": "1", "colour": "red"}, "q has no parameter $colour (it takes $n, $x, $b, $d, $l,"),
        ({"n": "1", "t": "blue"}, "q: $t: 'blue' is not one of its choices ('red', 'green')"),
    ],
)
def test_bind_refuses_bad_values_naming_the_parameter(typed, raw, message):
    with pytest.raises(SavedQueryError) as caught:
        typed.bind(raw)
    assert str(caught.value).startswith(message)


def test_values_are_sent_as_parameters_never_as_text(seeded, tmp_path):
    saved = library_of(tmp_path, q="// title: T\n// param: s example=x\n\nRETURN $s AS s").get("q")
    nasty = "x' RETURN 1 AS s UNION MATCH (n) DETACH DELETE n RETURN 'y"
    assert saved.run(seeded, {"s": nasty}).rows == [{"s": nasty}]


# -- choices: cascading, and enforced on the server -------------------------------------------


def test_cascading_choices_narrow_country_city_organisation(seeded):
    saved = LIBRARY.get("ties-of-organisation")
    countries = [o["value"] for o in saved.choices(seeded, "country", {})]
    assert countries == ["AU", "AT", "DK", "FI", "JP", "NO"]  # ordered by name
    cities = saved.choices(seeded, "city", {"country": "FI"})
    assert [(o["value"], o["label"]) for o in cities] == [
        ("helsinki", "Helsinki"),
        ("oulu", "Oulu"),
        ("tampere", "Tampere"),
        ("vantaa", "Vantaa"),
    ]
    assert [o["value"] for o in saved.choices(seeded, "city", {"country": "JP"})] == [
        "sendai",
        "tokyo",
    ]
    tampere = saved.choices(seeded, "org", {"country": "FI", "city": "tampere"})
    assert tampere == [
        {"value": "tampere-university-hospital", "label": "Tampere University Hospital (Hospital)"}
    ]
    oulu = [o["value"] for o in saved.choices(seeded, "org", {"city": "oulu"})]
    assert {"oulu-university-hospital", "university-of-oulu", "kipuwex"} <= set(oulu)
    assert len(oulu) == 21 and "tampere-university-hospital" not in oulu
    oslo = [o["value"] for o in saved.choices(seeded, "org", {"city": "oslo"})]
    assert "ous-technology-innovation-clinic" in oslo  # part of a hospital in Oslo


def test_choices_without_the_parameter_they_depend_on_are_empty(seeded):
    assert LIBRARY.get("ties-of-organisation").choices(seeded, "city", {}) == []


def test_inline_choices_need_no_store():
    saved = LIBRARY.get("event-participants")
    options = saved.choices(None, "kind", {})
    assert options[0] == {"value": "Company", "label": "Company"} and len(options) == 8


@pytest.mark.parametrize(
    "values, message",
    [
        (
            {"country": "FI", "city": "sendai", "org": "tohoku-university-hospital"},
            "ties-of-organisation: $city: 'sendai' is not one of its choices when $country = 'FI'",
        ),
        (
            {"country": "FI", "city": "oulu", "org": "tampere-university-hospital"},
            "ties-of-organisation: $org: 'tampere-university-hospital' is not one of its choices "
            "when $city = 'oulu'",
        ),
        (
            {"country": "SE", "city": "oulu", "org": "oulu-university-hospital"},
            "ties-of-organisation: $country: 'SE' is not one of its choices (",
        ),
    ],
)
def test_value_outside_its_choices_is_refused_on_the_server(seeded, values, message):
    with pytest.raises(SavedQueryError) as caught:
        LIBRARY.get("ties-of-organisation").run(seeded, values)
    assert str(caught.value).startswith(message)


def test_value_among_list_choices_is_refused_item_by_item(seeded):
    saved = LIBRARY.get("best-connected")
    with pytest.raises(SavedQueryError, match=r"\$kinds: 'Event' is not one of its choices"):
        saved.run(seeded, {"kinds": "Hospital,Event"})


def test_a_value_past_the_row_cap_of_its_choices_is_checked_by_a_query_about_it(
    seeded, settings, tmp_path
):
    many = "// title: Many\n\nUNWIND range(1, 150) AS i RETURN i AS value, toString(i) AS label"
    text = "// title: T\n// param: n type=int choices=many example=5\n\nRETURN $n AS n"
    saved = library_of(tmp_path, q=text, choices__many=many).get("q")
    assert settings.row_cap == 100
    assert saved.run(seeded, {"n": "5"}).rows == [{"n": 5}]
    assert saved.run(seeded, {"n": "140"}).rows == [{"n": 140}]
    with pytest.raises(SavedQueryError, match=r"q: \$n: 151 is not one of its choices \(1, 2, 3"):
        saved.run(seeded, {"n": "151"})


def test_many_choices_are_searched_not_cut(seeded, tmp_path):
    many = (
        "// title: Many\n\nUNWIND range(1, 250) AS i RETURN i AS value, 'n' + toString(i) AS label"
    )
    text = "// title: T\n// param: n type=int choices=many example=5\n\nRETURN $n AS n"
    saved = library_of(tmp_path, q=text, choices__many=many).get("q")
    options, more = saved.choice_page(seeded, "n", {})
    assert more is True and len(options) <= 200
    found, more = saved.choice_page(seeded, "n", {}, search="n24")
    assert [o["value"] for o in found] == [24, 240, 241, 242, 243, 244, 245, 246, 247, 248, 249]
    assert more is False
    assert saved.is_choice(seeded, "n", 249, {}) and not saved.is_choice(seeded, "n", 251, {})


def test_chains_between_an_organisation_and_itself_is_empty(seeded):
    saved = LIBRARY.get("chains-between")
    assert saved.run(seeded, {"from": "oulu", "to": "oulu"}).rows == []


def test_saved_query_describes_itself_as_json():
    described = LIBRARY.get("ties-of-organisation").to_json()
    assert described["dialects"] == ["any"]
    assert described["params"][1] == {
        "name": "city",
        "type": "text",
        "label": "City",
        "required": True,
        "default": None,
        "example": "oulu",
        "choices": "cities",
        "depends_on": ["country"],
    }
    assert LIBRARY.get("find-by-name").to_json()["dialects"] == ["falkordb", "neo4j"]
    assert json.loads(json.dumps([saved.to_json() for saved in LIBRARY]))


# -- a write smuggled into a saved query file --------------------------------------------------

SMUGGLED = [
    "CREATE (n:Intruder {id: $x}) RETURN n",
    "MATCH (n:City {id: $x}) SET n.name = 'Hacked' RETURN n",
    "MATCH (n:Entity {id: $x}) DETACH DELETE n",
    "MERGE (n:Intruder {id: $x}) RETURN n",
    "MATCH (n:Entity) WHERE n.id = $x RETURN n UNION CREATE (n:Intruder) RETURN n",
    "CALL db.idx.fulltext.drop('Entity') RETURN $x",
]


@pytest.mark.parametrize("body", SMUGGLED)
def test_write_in_a_saved_query_is_refused_with_nothing_written(seeded, tmp_path, body):
    saved = library_of(tmp_path, q=f"// title: Harmless\n// param: x example=oulu\n\n{body}")
    before = digest(seeded)
    with pytest.raises((ReadOnlyError, QueryError)):
        saved.get("q").run(seeded, {"x": "oulu"})
    assert digest(seeded) == before
    assert seeded.read("MATCH (n:Intruder) RETURN count(n) AS n").value() == 0


# -- the command line ---------------------------------------------------------------------------


def cli(settings, *args: str):
    return CliRunner().invoke(main, ["--data-dir", str(settings.data_dir), *args])


def test_cli_runs_a_saved_query(seeded, settings):
    done = cli(settings, "query", "--saved", "partners-of", "-p", "org=oulu", "--format", "json")
    assert done.exit_code == 0, done.output
    rows = json.loads(done.stdout)
    assert [row["partner"] for row in rows] == ["Kanagawa Prefecture"] + ["Sendai"] * 4
    assert rows[0]["source"] == "src-oulu-japan-2019"


def test_cli_repeated_parameter_is_a_list(seeded, settings):
    args = ["--saved", "best-connected", "-p", "kinds=City", "-p", "kinds=Region", "-p", "top=1"]
    done = cli(settings, "query", *args, "--format", "json")
    assert [row["organisation"] for row in json.loads(done.stdout)] == ["Oulu"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["--saved", "agreements-valid-in", "-p", "year=soon"], "$year must be a whole number"),
        (["--saved", "nope"], "no saved query named 'nope'"),
        (["--saved", "agreements-valid-in", "RETURN 1"], "give either CYPHER or --saved SLUG"),
        ([], "give either CYPHER or --saved SLUG"),
    ],
)
def test_cli_saved_query_errors(seeded, settings, args, message):
    done = cli(settings, "query", *args)
    assert done.exit_code != 0
    assert message in done.stderr


def test_cli_lists_the_saved_queries(settings):
    done = cli(settings, "queries")
    assert done.exit_code == 0
    lines = done.stdout.splitlines()
    assert lines[0].split(maxsplit=1) == ["agreements-by-year", "Agreements by year and kind"]
    assert "  -p city     text; required; choices from cities; after country; e.g. oulu" in lines


# -- Neo4j's Cypher linter ----------------------------------------------------------------------


def test_neo4j_lint_passes_the_library():
    done = lint_files()
    assert done.returncode == 0, done.stdout + done.stderr
    assert " 0 errors" in done.stderr


def test_neo4j_lint_fails_a_broken_query(tmp_path):
    broken = write(tmp_path, "broken.cypher", "// title: Broken\n\nMATCH (n RETURN n\n")
    done = lint_files(broken / "broken.cypher")
    assert done.returncode == 1
    assert f"{broken / 'broken.cypher'}:3:10: error: Invalid input 'RETURN'" in done.stdout


def test_neo4j_lint_flags_undeclared_parameters_and_unknown_labels(tmp_path):
    text = "// title: T\n// param: a example=1\n\nMATCH (n:Hospitl {id: $a}) RETURN n, $b"
    path = write(tmp_path, "q.cypher", text) / "q.cypher"
    done = lint_files(path)
    assert done.returncode == 1
    assert f"{path}:4:10: warning: Label Hospitl is not present in the database" in done.stdout
    assert f"{path}:4:38: error: Parameter $b is not defined." in done.stdout


def test_lint_schema_is_the_model():
    done = subprocess.run(
        [sys.executable, "-m", "graph.model"], capture_output=True, text=True, cwd=ROOT, check=True
    )
    schema = json.loads(done.stdout)
    assert schema["labels"] == ["Entity", *NODE_LABELS, "Source"]
    assert schema["relationshipTypes"] == list(RELATIONSHIP_TYPES)
    keys = set(NODE_FIELDS) | set(RELATIONSHIP_FIELDS) | set(SOURCE_FIELDS) | {"search_text"}
    keys.add("superseded")  # derived on load: stored, never given
    assert schema["propertyKeys"] == sorted(keys)
    assert {name.lower() for name in schema["procedures"]} <= READ_PROCEDURES


def test_row_cap_is_bound_by_ecomap_and_cannot_be_declared(tmp_path, seeded):
    with pytest.raises(SavedQueryError) as caught:
        library_of(tmp_path, q="// title: T\n// param: row_cap example=3\n\nRETURN $row_cap")
    assert "$row_cap is bound by Ecomap itself" in str(caught.value)
    saved = library_of(tmp_path, q="// title: T\n\nRETURN $row_cap AS cap").get("q")
    assert saved.run(seeded, {}).value() == seeded.settings.row_cap
    assert saved.run(seeded, {}, row_cap_=7).value() == 7
