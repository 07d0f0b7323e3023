"""The eHerkenning middelen the mock identity provider offers, and the demo accounts behind them.

KvK-nummers and pseudonyms are invented; the numbers are reserved for this demo.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from portal.domain.rollen import Rol

KVK_LEIDEN = "90000011"
KVK_NIEUWKOOP = "90000012"
KVK_FLEXWERK = "87654321"

LEVERANCIERS = ["Digidentity", "KPN", "ESG", "Connectis", "Z login"]


@dataclass(frozen=True)
class DemoIdentiteit:
    """A middel at the mock provider; ``rollen``/``contracten`` empty means: no portal account."""

    sleutel: str
    naam: str
    kvk_nummer: str
    pseudoniem: str
    niveau: str
    rollen: tuple[Rol, ...] = ()
    contracten: tuple[str, ...] = ()
    email: str = ""
    actief: bool = True
    vestigingsnummer: str | None = None
    toelichting: str = field(default="")


DEMO_IDENTITEITEN = [
    DemoIdentiteit(
        "anna",
        "Anna de Vries",
        KVK_LEIDEN,
        "ehpseudo-leiden-anna",
        "loa3",
        (Rol.ADMINISTRATIEF,),
        ("12345",),
        "a.devries@leiden.example",
        toelichting="administratief, Gemeente Leiden",
    ),
    DemoIdentiteit(
        "bram",
        "Bram Jansen",
        KVK_LEIDEN,
        "ehpseudo-leiden-bram",
        "loa2plus",
        (Rol.FINANCIEEL,),
        ("12345",),
        "b.jansen@leiden.example",
        toelichting="financieel, Gemeente Leiden (EH2+)",
    ),
    DemoIdentiteit(
        "carla",
        "Carla Bakker",
        KVK_LEIDEN,
        "ehpseudo-leiden-carla",
        "loa3",
        (Rol.ACCOUNTBEHEER,),
        ("12345", "12346"),
        "c.bakker@leiden.example",
        toelichting="accountbeheer, twee contracten",
    ),
    DemoIdentiteit(
        "daan",
        "Daan Visser",
        KVK_LEIDEN,
        "ehpseudo-leiden-daan",
        "loa3",
        (Rol.ADMINISTRATIEF, Rol.FINANCIEEL),
        ("12345", "12346"),
        "d.visser@leiden.example",
        toelichting="administratief en financieel, twee contracten",
    ),
    DemoIdentiteit(
        "eva",
        "Eva Smit",
        KVK_NIEUWKOOP,
        "ehpseudo-nieuwkoop-eva",
        "loa3",
        (Rol.ADMINISTRATIEF, Rol.ACCOUNTBEHEER),
        ("12346",),
        "e.smit@nieuwkoop.example",
        toelichting="administratief en accountbeheer, Gemeente Nieuwkoop",
    ),
    DemoIdentiteit(
        "fatima",
        "Fatima El Amrani",
        KVK_FLEXWERK,
        "ehpseudo-flexwerk-fatima",
        "loa3",
        (Rol.ADMINISTRATIEF, Rol.FINANCIEEL, Rol.ACCOUNTBEHEER),
        ("23595",),
        "f.elamrani@flexwerk.example",
        vestigingsnummer="000012345678",
        toelichting="alle rollen, Flexwerk Uitzendbureau",
    ),
    DemoIdentiteit(
        "gerrit",
        "Gerrit Mulder",
        KVK_LEIDEN,
        "ehpseudo-leiden-gerrit",
        "loa2",
        (Rol.ADMINISTRATIEF,),
        ("12345",),
        "g.mulder@leiden.example",
        toelichting="heeft een account, maar een middel van niveau EH2",
    ),
    DemoIdentiteit(
        "henk", "Henk Kok", KVK_LEIDEN, "ehpseudo-leiden-henk", "loa1", toelichting="niveau EH1, geen account"
    ),
    DemoIdentiteit(
        "iris",
        "Iris Vermeulen",
        KVK_LEIDEN,
        "ehpseudo-leiden-iris",
        "loa3",
        toelichting="EH3, maar (nog) geen MijnZZ Zakelijk account",
    ),
    # Anna's pseudonym under another KvK: another person, so no account.
    DemoIdentiteit(
        "anna-elders",
        "Anna de Vries (andere KvK)",
        KVK_NIEUWKOOP,
        "ehpseudo-leiden-anna",
        "loa3",
        toelichting="zelfde pseudoniem als Anna, andere KvK: geen account",
    ),
]

BY_KEY = {identiteit.sleutel: identiteit for identiteit in DEMO_IDENTITEITEN}
