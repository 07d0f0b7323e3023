"""The OpenAPI 3 description of the meldingen API, served at ``/api/v1/openapi.json``.

Built from the same names the code uses (fields, soorten, foutcodes), and checked against the
implementation by schemathesis in the tests.
"""

from __future__ import annotations

from portal.domain import foutcodes, wijzigen
from portal.domain.afmelden import REDENEN
from portal.domain.intake import ADRES_VELDEN, MAX_TEKST, MELDING_ID, SOORTEN

# Optional fields may be left out or sent as null; both mean "not given".
_TEKST = {"type": "string", "maxLength": MAX_TEKST, "nullable": True}
_DATUM = {"type": "string", "format": "date", "example": "2026-12-01", "nullable": True}

_MELDING_ID = {
    "type": "string",
    "pattern": MELDING_ID.pattern,
    "description": "Uw eigen kenmerk van de melding: 1 tot 100 letters, cijfers of . _ : - (niet 'batch').",
    "example": "AFAS-2026-000123",
}


def _tekst(beschrijving: str, **extra) -> dict:
    return {**_TEKST, "description": beschrijving, **extra}


def _catalogus() -> str:
    regels = [f"- `{code}`: {uitleg}" for code, uitleg in foutcodes.MELDING.items()]
    return "\n".join(regels)


def _api_codes() -> str:
    return "\n".join(f"- `{code}`: {uitleg}" for code, uitleg in foutcodes.API.items())


BESCHRIJVING = """Aan- en afmeldingen en wijzigingen van werknemers in een collectiviteit, voor
salarissoftware (zoals AFAS Profit, communicatieprofiel 'Communicatie met Zorg en Zekerheid').

Elke melding heeft een eigen `melding_id`. Dezelfde melding opnieuw sturen (zelfde id, zelfde
inhoud) verandert niets en geeft het eerste antwoord terug (200). Hetzelfde id met andere inhoud
geeft 409: een gecorrigeerde melding krijgt een nieuw id.

Datums zijn jjjj-mm-dd. Een aanmelding meldt de werknemer aan voor de collectiviteit (zonder
nieuwe polis; een lopende individuele polis krijgt de collectiviteitskorting). Een afmelding
zonder reden is `einde_collectiviteit`. Een wijziging noemt de persoon met het huidige BSN en de
nieuwe waarde(n) in `wijziging`.

## Foutcodes van een afgekeurde melding (422)
{catalogus}

## Overige antwoorden
{api_codes}
"""


def openapi() -> dict:
    fout = {
        "type": "object",
        "required": ["code", "melding"],
        "properties": {
            "code": {"type": "string", "enum": sorted(foutcodes.MELDING)},
            "melding": {"type": "string", "description": "Wat de afzender moet verbeteren (Nederlands)."},
            "veld": {"type": "string", "nullable": True, "example": "persoon.bsn"},
        },
    }
    antwoord = {
        "type": "object",
        "required": ["melding_id", "status", "ontvangen_op", "fouten"],
        "properties": {
            "melding_id": {"type": "string"},
            "status": {"type": "string", "enum": ["verwerkt", "afgekeurd"]},
            "ontvangen_op": {"type": "string", "format": "date-time"},
            "relatienummer": {"type": "string", "nullable": True},
            "fouten": {"type": "array", "items": {"$ref": "#/components/schemas/Fout"}},
        },
    }
    api_fout = {
        "type": "object",
        "required": ["fout", "melding"],
        "properties": {
            "fout": {"type": "string", "enum": sorted(foutcodes.API)},
            "melding": {"type": "string"},
            "veld": {"type": "string", "nullable": True},
            "eerdere_melding": {"$ref": "#/components/schemas/Antwoord"},
        },
    }
    adres = {"type": "object", "nullable": True, "properties": dict.fromkeys(ADRES_VELDEN, _TEKST)}
    persoon = {
        "type": "object",
        "nullable": True,
        "properties": {
            "bsn": _tekst("9 cijfers, elfproef", example="999990019"),
            "voorletters": _tekst("", example="J."),
            "voorvoegsel": _tekst("", example="van"),
            "achternaam": _tekst("", example="Dijk"),
            "geslacht": _tekst("M, V of X", example="M"),
            "geboortedatum": {**_DATUM, "example": "1990-04-12"},
            "nationaliteit": _tekst("", example="Pools"),
            "email": _TEKST,
            "telefoon": _TEKST,
            "adres": {"$ref": "#/components/schemas/Adres"},
        },
    }
    wijziging = {
        "type": "object",
        "nullable": True,
        "description": "De nieuwe waarde(n); alleen bij soort wijziging.",
        "properties": {naam: _DATUM if naam != "bsn" else _TEKST for naam in wijzigen.WIJZIGBAAR},
    }
    melding = {
        "type": "object",
        "required": ["melding_id", "soort"],
        "properties": {
            "melding_id": _MELDING_ID,
            "soort": {"type": "string", "enum": list(SOORTEN)},
            "kvk_nummer": _tekst("8 cijfers", example="70000003"),
            "collectiviteitsnummer": _tekst("", example="23595"),
            "persoon": {"$ref": "#/components/schemas/Persoon"},
            "ingangsdatum": {**_DATUM, "description": "Aanmelding: de eerste dag van de deelname."},
            "einddatum": {**_DATUM, "description": "Afmelding: de laatste dag (t/m) van de deelname."},
            "reden": {"type": "string", "enum": [*REDENEN, None], "nullable": True},
            "wijziging": {"$ref": "#/components/schemas/Wijziging"},
        },
    }
    batch = {
        "type": "object",
        "required": ["meldingen"],
        # Each item is judged on its own (the answer per item is what POST /meldingen would give),
        # so an item that is not a valid Melding does not make the whole batch invalid.
        "properties": {
            "meldingen": {
                "type": "array",
                "minItems": 1,
                "maxItems": 1000,
                "items": {
                    "description": "Een Melding (zie dat schema); een "
                    "ongeldige melding krijgt haar eigen 400 in de resultaten."
                },
            }
        },
    }
    batch_antwoord = {
        "type": "object",
        "required": ["resultaten"],
        "properties": {
            "resultaten": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["index", "http_status"],
                    "description": (
                        "Per melding het antwoord dat POST /meldingen zou geven, met die HTTP-status."
                    ),
                    "properties": {"index": {"type": "integer"}, "http_status": {"type": "integer"}},
                },
            }
        },
    }

    def json_body(schema: str) -> dict:
        return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}

    def fout_antwoord(beschrijving: str) -> dict:
        return {"description": beschrijving, **json_body("ApiFout")}

    algemeen = {
        "401": {"$ref": "#/components/responses/NietGeauthenticeerd"},
        "429": {"$ref": "#/components/responses/TeVeel"},
    }
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Meldingen API Zorg en Zekerheid Zakelijk",
            "version": "1.0.0",
            "description": BESCHRIJVING.format(catalogus=_catalogus(), api_codes=_api_codes()),
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"basicAuth": []}],
        "paths": {
            "/meldingen": {
                "post": {
                    "summary": "Eén aanmelding, afmelding of wijziging",
                    "operationId": "meldingVersturen",
                    "requestBody": {"required": True, **json_body("Melding")},
                    "responses": {
                        "200": {
                            "description": "Herhaling: het eerste antwoord, er is niets gewijzigd.",
                            **json_body("Antwoord"),
                        },
                        "201": {"description": "Verwerkt.", **json_body("Antwoord")},
                        "400": fout_antwoord("Geen melding (vorm of type klopt niet)."),
                        "403": fout_antwoord("De inloggegevens horen niet bij dit collectiviteitsnummer."),
                        "409": fout_antwoord("melding_id al gebruikt met andere inhoud."),
                        "413": fout_antwoord("Body te groot."),
                        "422": {"description": "Afgekeurd: zie fouten.", **json_body("Antwoord")},
                        **algemeen,
                    },
                }
            },
            "/meldingen/batch": {
                "post": {
                    "summary": "Tot 1.000 meldingen in één verzoek; het antwoord per melding",
                    "operationId": "batchVersturen",
                    "requestBody": {"required": True, **json_body("Batch")},
                    "responses": {
                        "200": {"description": "Per melding het resultaat.", **json_body("BatchAntwoord")},
                        "400": fout_antwoord("Geen geldige batch."),
                        "413": fout_antwoord("Body te groot."),
                        **algemeen,
                    },
                }
            },
            "/meldingen/{melding_id}": {
                "get": {
                    "summary": "Het antwoord op een eerder verstuurde melding",
                    "operationId": "meldingOpvragen",
                    "parameters": [
                        {"name": "melding_id", "in": "path", "required": True, "schema": _MELDING_ID}
                    ],
                    "responses": {
                        "200": {
                            "description": "Het antwoord zoals het bij ontvangst werd gegeven.",
                            **json_body("Antwoord"),
                        },
                        "404": fout_antwoord("Niet gevonden."),
                        **algemeen,
                    },
                }
            },
        },
        "components": {
            "securitySchemes": {"basicAuth": {"type": "http", "scheme": "basic"}},
            "schemas": {
                "Melding": melding,
                "Persoon": persoon,
                "Adres": adres,
                "Wijziging": wijziging,
                "Antwoord": antwoord,
                "Fout": fout,
                "ApiFout": api_fout,
                "Batch": batch,
                "BatchAntwoord": batch_antwoord,
            },
            "responses": {
                "NietGeauthenticeerd": fout_antwoord("Inloggegevens ontbreken of kloppen niet."),
                "TeVeel": {
                    "description": "Te veel verzoeken.",
                    "headers": {"Retry-After": {"schema": {"type": "integer"}}},
                    **json_body("ApiFout"),
                },
            },
        },
    }
