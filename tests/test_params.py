"""Only plain values reach a database client; hostile parameters are refused first."""

from __future__ import annotations

import datetime
import math

import pytest

from graph.errors import InvalidParameterError
from graph.store.params import check_params


class Sneaky:
    def __str__(self) -> str:
        return '"}) MATCH (n) DETACH DELETE n //'


HOSTILE = [
    ({"name": "a\x00b"}, "NUL"),
    ({"names": ["ok", "bad\x00"]}, r"\$names\[1\] contains a NUL"),
    ({"m": {"k": "v\x00"}}, r"\$m\.k contains a NUL"),
    ({"obj": Sneaky()}, "Sneaky"),
    ({"when": datetime.date(2020, 1, 1)}, "date"),
    ({"raw": b"bytes"}, "bytes"),
    ({"s": {1, 2}}, "set"),
    ({"f": math.nan}, "nan"),
    ({"f": math.inf}, "inf"),
    ({"m": {"bad key": 1}}, "map key"),
    ({"m": {"`x`": 1}}, "map key"),
    ({"m": {"a}) DELETE n //": 1}}, "map key"),
    ({"m": {1: "x"}}, "map key"),
    ({"bad name": 1}, "parameter name"),
    ({"x` = 1 MATCH (n) DELETE n //": 1}, "parameter name"),
    ({"": 1}, "parameter name"),
]


@pytest.mark.parametrize(("params", "message"), HOSTILE)
def test_hostile_parameter_is_refused_before_the_client(store, params, message):
    with pytest.raises(InvalidParameterError, match=message):
        store.read("RETURN 1 AS x", params)
    with pytest.raises(InvalidParameterError, match=message):
        store.write("RETURN 1 AS x", params)


def test_nesting_is_bounded():
    value: list = []
    for _ in range(40):
        value = [value]
    with pytest.raises(InvalidParameterError, match="nested deeper"):
        check_params({"deep": value})


TRICKY_TEXT = [
    'quote " inside',
    "back\\slash \\n not a newline",
    "line\nbreak\ttab",
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "'; MATCH (n) DETACH DELETE n //",
    "Ørsted, Tōhoku, 仙台市",
    "",
]


@pytest.mark.parametrize("text", TRICKY_TEXT)
def test_text_round_trips_verbatim(store, text):
    assert store.read("RETURN $text AS t", {"text": text}).value() == text


def test_plain_values_round_trip(store):
    params = {"i": -3, "f": 2.5, "b": False, "n": None, "l": [1, "a", [True]], "m": {"k": [1.5]}}
    row = store.read("RETURN $i AS i, $f AS f, $b AS b, $n AS n, $l AS l, $m AS m", params).rows[0]
    assert row == params
