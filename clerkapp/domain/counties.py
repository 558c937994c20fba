"""California's 58 counties (Government Code sections 23101-23158): the names a file-wide
county given at import may take, spelled the way the court profile and the orders print them."""

from __future__ import annotations

from difflib import get_close_matches

COUNTIES: tuple[str, ...] = (
    "Alameda", "Alpine", "Amador", "Butte", "Calaveras", "Colusa", "Contra Costa", "Del Norte",
    "El Dorado", "Fresno", "Glenn", "Humboldt", "Imperial", "Inyo", "Kern", "Kings", "Lake",
    "Lassen", "Los Angeles", "Madera", "Marin", "Mariposa", "Mendocino", "Merced", "Modoc",
    "Mono", "Monterey", "Napa", "Nevada", "Orange", "Placer", "Plumas", "Riverside",
    "Sacramento", "San Benito", "San Bernardino", "San Diego", "San Francisco", "San Joaquin",
    "San Luis Obispo", "San Mateo", "Santa Barbara", "Santa Clara", "Santa Cruz", "Shasta",
    "Sierra", "Siskiyou", "Solano", "Sonoma", "Stanislaus", "Sutter", "Tehama", "Trinity",
    "Tulare", "Tuolumne", "Ventura", "Yolo", "Yuba",
)


def county_key(name: str | None) -> str:
    """`Los Angeles County` / `LOS ANGELES` / ` los  angeles ` -> `los angeles`."""
    words = (name or "").replace("_", " ").split()
    if len(words) > 1 and words[-1].lower() == "county":
        words = words[:-1]
    if len(words) > 2 and [w.lower() for w in words[:2]] == ["county", "of"]:
        words = words[2:]
    return " ".join(words).lower()


_BY_KEY = {county_key(c): c for c in COUNTIES}


def california_county(name: str | None) -> str | None:
    """The county's name as listed, or None when `name` is not a California county."""
    return _BY_KEY.get(county_key(name))


def listed_county(name: str | None) -> str:
    """The county as listed when `name` spells one (`orange county` -> `Orange`), else `name`
    as given, stripped: what the court profile keeps, so orders print the county's name once."""
    return california_county(name) or (name or "").strip()


def same_county(a: str | None, b: str | None) -> bool:
    """Whether two spellings name the same county (`ORANGE` and `Orange County`)."""
    return county_key(a) == county_key(b)


def not_a_county(name: str) -> str:
    """`'San Bernadino' is not a California county: did you mean San Bernardino? accepted: …`:
    the nearest spelling first (a typed county is most often a letter off), then the list."""
    near = get_close_matches(county_key(name), list(_BY_KEY), n=1, cutoff=0.75)
    guess = f" did you mean {_BY_KEY[near[0]]}?" if near else ""
    return (f"{name.strip()!r} is not a California county;{guess} accepted:"
            f" {', '.join(COUNTIES)}")


def check_county(name: str | None) -> None:
    """ValueError listing the accepted names unless `name` is empty (not set yet) or one of
    California's counties: a misspelt county in the court profile would leave every conviction
    'not applicable' and the queue silently empty."""
    if (name or "").strip() and california_county(name) is None:
        raise ValueError(not_a_county(str(name)))
