"""Synthetic people: names from the Netherlands and across Europe, test BSNs, addresses.

Shared by the demo data and the benchmark database generator. Deterministic for a seed.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, timedelta

from portal.domain.names import zoekvelden

NL_ACHTERNAMEN = [
    ("", "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van der", "Berg"),
    ("", "Bakker"),
    ("", "Visser"),
    ("", "Smit"),
    ("", "Meijer"),
    ("de", "Boer"),
    ("", "Mulder"),
    ("de", "Groot"),
    ("", "Bos"),
    ("", "Vos"),
    ("", "Peters"),
    ("", "Hendriks"),
    ("van", "Leeuwen"),
    ("", "Dekker"),
    ("", "Brouwer"),
    ("de", "Wit"),
    ("", "Dijkstra"),
    ("", "Smits"),
    ("de", "Graaf"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    ("", "Kok"),
    ("", "Jacobs"),
    ("de", "Haan"),
    ("", "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("", "Schouten"),
    ("van", "Beek"),
    ("", "Willems"),
    ("van", "Vliet"),
    ("", "Hoekstra"),
    ("", "Maas"),
    ("", "Verhoeven"),
    ("", "Koster"),
    ("van", "Dam"),
    ("", "Prins"),
    ("", "Blom"),
    ("", "Huisman"),
    ("", "Peeters"),
    ("de", "Jong"),
    ("", "Janse"),
    ("", "Meller"),
    ("", "Yılmaz"),
    ("", "El Amrani"),
    ("", "Bouzid"),
    ("", "Öztürk"),
]
EU_ACHTERNAMEN = [
    "Kowalski",
    "Wiśniewski",
    "Wójcik",
    "Kamiński",
    "Lewandowski",
    "Zieliński",
    "Szymański",
    "Woźniak",
    "Dąbrowski",
    "Kozłowski",
    "Popescu",
    "Ionescu",
    "Dumitrescu",
    "Stănescu",
    "Georgescu",
    "Ivanov",
    "Petrov",
    "Dimitrov",
    "Stoyanov",
    "Kazlauskas",
    "Jankauskas",
    "Petrauskas",
    "Bērziņš",
    "Kalniņš",
    "Tamm",
    "Saar",
    "Novák",
    "Dvořák",
    "Černý",
    "Procházka",
    "Nagy",
    "Kovács",
    "Tóth",
    "Szabó",
    "Horváth",
    "Silva",
    "Santos",
    "Gonçalves",
    "Pereira",
    "Fernández",
    "García",
    "Núñez",
    "Müller",
    "Schäfer",
    "Horvat",
    "Kovačević",
    "Babić",
    "Jovanović",
    "Nikolić",
    "Papadopoulos",
    "Øster",
    "Łukasiewicz",
]
VOORNAAM_LETTERS = "ABCDEFGHIJKLMNOPRSTVWZ"
NATIONALITEITEN_EU = [
    "Pools",
    "Roemeens",
    "Bulgaars",
    "Litouws",
    "Lets",
    "Hongaars",
    "Tsjechisch",
    "Portugees",
    "Spaans",
    "Slowaaks",
    "Kroatisch",
    "Grieks",
    "Duits",
]
STRATEN = [
    "Breestraat",
    "Haarlemmerstraat",
    "Stationsweg",
    "Morsweg",
    "Lammenschansweg",
    "Hoflaan",
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Schoolstraat",
    "Julianalaan",
    "Wilhelminastraat",
    "Beatrixlaan",
    "Noordeinde",
    "Rijnsburgerweg",
]


def bsn_generator(prefix: str = "9999") -> Iterator[str]:
    """Elfproef-valid BSNs in a reserved test range (RvIG test numbers start 9999...).

    For each eight-digit stem the check digit is computed, not searched: the stem is valid
    when 9*d1 + 8*d2 + ... + 2*d8 leaves a remainder of at most 9 on division by 11.
    """
    width = 8 - len(prefix)
    for n in range(10**width):
        stem = f"{prefix}{n:0{width}d}"
        check = sum(int(d) * w for d, w in zip(stem, range(9, 1, -1), strict=True)) % 11
        if check <= 9:
            yield f"{stem}{check}"


def random_datum(rng: random.Random, start: date, end: date) -> date:
    """A uniform date between start and end (inclusive)."""
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def persoon_gegevens(
    rng: random.Random, *, migrant: bool, geboren_van: date, geboren_tot: date, woonplaats: str
) -> dict:
    """The personal fields of one synthetic person (without BSN or relatienummer)."""
    if migrant:
        voorvoegsel, achternaam = "", rng.choice(EU_ACHTERNAMEN)
        nationaliteit = rng.choice(NATIONALITEITEN_EU)
    else:
        voorvoegsel, achternaam = rng.choice(NL_ACHTERNAMEN)
        nationaliteit = "Nederlands"
    letters = "".join(f"{rng.choice(VOORNAAM_LETTERS)}." for _ in range(rng.choice((1, 1, 2))))
    return {
        "voorletters": letters,
        "voorvoegsel": voorvoegsel or None,
        "achternaam": achternaam,
        "geslacht": rng.choice("MV"),
        "geboortedatum": random_datum(rng, geboren_van, geboren_tot),
        "nationaliteit": nationaliteit,
        "straat": rng.choice(STRATEN),
        "huisnummer": str(rng.randint(1, 250)),
        "postcode": f"{rng.randint(1000, 9999)} {rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}"
        f"{rng.choice('ABCDEFGHJKLMNPRSTVWXZ')}",
        "woonplaats": woonplaats,
        "land": "Nederland",
        **zoekvelden(letters, voorvoegsel, achternaam),
    }
