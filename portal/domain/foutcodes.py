"""The foutcode catalogue: every code a melding can be refused with, and what it means.

Published in the README and in the API description (``/api/v1/openapi.json``); a test keeps it
equal to the codes the domain really raises, so a new rule cannot ship without an entry.
"""

from __future__ import annotations

# code: (the rule, in the words a salarisadministratie understands)
MELDING = {
    "veld_verplicht": "Een verplicht veld ontbreekt (het veld staat in 'veld').",
    "te_lang": "Een tekst is langer dan het veld toestaat.",
    "bsn_ongeldig": "Het BSN heeft geen 9 cijfers of voldoet niet aan de elfproef.",
    "bsn_hoort_bij_ander": "Het BSN is bij ons bekend met een andere geboortedatum (of hoort bij een "
    "andere persoon).",
    "bsn_dubbel": "Hetzelfde BSN staat twee keer in één aanmelding.",
    "datum_ongeldig": "Geen bestaande datum (API: jjjj-mm-dd; bestand: dd-mm-jjjj of een datumcel), "
    "of vóór 1900.",
    "geboortedatum_in_toekomst": "De geboortedatum ligt na vandaag.",
    "postcode_ongeldig": "De postcode is geen 4 cijfers en 2 letters.",
    "huisnummer_ongeldig": "Het huisnummer is geen getal (een toevoeging hoort in huisnummer_toevoeging).",
    "email_ongeldig": "Het e-mailadres is geen geldig adres.",
    "telefoon_ongeldig": "Het telefoonnummer heeft geen 10 cijfers.",
    "rol_ongeldig": "Een gezinslid is geen partner of kind.",
    "collectiviteit_onbekend": "Het collectiviteitsnummer is bij ons niet bekend.",
    "afzender_niet_bevoegd": "De afzender mag niet melden voor dit collectiviteitsnummer (API: HTTP 403).",
    "kvk_ongeldig": "Het KvK-nummer heeft geen 8 cijfers.",
    "kvk_hoort_niet_bij_collectiviteit": "Het KvK-nummer hoort niet bij de werkgever van het "
    "collectiviteitsnummer.",
    "voor_aanleveren_vanaf": "De ingangs- of einddatum ligt vóór de datum 'aanleveren vanaf' van het "
    "contract.",
    "ingangsdatum_te_ver_terug": "De ingangsdatum ligt meer dan 120 dagen vóór de ontvangst; de melding "
    "noemt de vroegst mogelijke datum.",
    "ingangsdatum_te_ver_vooruit": "De ingangsdatum ligt meer dan 365 dagen vooruit.",
    "ingangsdatum_voor_contract": "De ingangsdatum ligt vóór het begin van het contract.",
    "contract_beeindigd": "De ingangsdatum ligt na het einde van het contract.",
    "ingangsdatum_voor_geboorte": "De ingangsdatum ligt vóór de geboortedatum.",
    "ingangsdatum_voor_hoofd": "Een gezinslid begint vóór de hoofdverzekerde.",
    "ingangsdatum_na_gezinslid": "De nieuwe ingangsdatum van de hoofdverzekerde ligt na die van een "
    "gezinslid.",
    "deelname_bestaat_al": "De persoon is op die datum al deelnemer van dit contract.",
    "deelname_overlapt": "De gewijzigde periode overlapt een andere deelname van de persoon in dit contract.",
    "te_veel_partners": "Er is al een partner.",
    "kind_niet_jonger": "Een kind is niet jonger dan de hoofdverzekerde.",
    "hoofd_niet_actief": "Bijschrijven kan alleen bij een lopende hoofdverzekerde.",
    "geen_gezinsleden": "Bijschrijven zonder gezinslid.",
    "product_onbekend": "Het contract biedt deze verzekering niet aan (of er is geen tarief voor dat jaar).",
    "basis_vereist": "Een aanvullend pakket zonder basisverzekering.",
    "pakketten_sluiten_elkaar_uit": "Twee pakketten van dezelfde soort (Goed, Beter, Best).",
    "polis_bestaat_al": "De persoon heeft al een lopende zorgverzekering bij ons.",
    "betalingswijze_ongeldig": "De betalingswijze is niet toegestaan in dit contract.",
    "iban_ongeldig": "Het IBAN klopt niet.",
    "keuze_verplicht": "Portaal: per persoon is geen keuze gemaakt tussen collectiviteit en verzekering.",
    "geen_actieve_deelname": "Een afmelding voor iemand zonder lopende deelname in dit contract.",
    "reden_ongeldig": "De reden is niet einde_collectiviteit of overleden.",
    "einddatum_ongeldig": "De einddatum ontbreekt of is geen bestaande datum.",
    "einddatum_voor_ingangsdatum": "De einddatum ligt vóór de ingangsdatum.",
    "einddatum_te_ver_terug": "De einddatum ligt meer dan 120 dagen terug.",
    "einddatum_te_ver_vooruit": "De einddatum ligt meer dan 365 dagen vooruit.",
    "overlijdensdatum_in_toekomst": "Bij overleden ligt de einddatum (overlijdensdatum) na vandaag.",
    "deelnemer_onbekend": "Een wijziging voor iemand die geen deelnemer van dit contract is (geweest).",
    "wijziging_leeg": "Een wijziging zonder nieuwe waarde.",
    "geen_beeindigde_deelname": "Een nieuwe einddatum voor een lopende deelname: stuur een afmelding.",
    "soort_ongeldig": "Bestand: de kolom Soort is niet aanmelding, afmelding of wijziging (API: 400).",
    "dubbel_in_bestand": "Bestand: dezelfde melding (soort en BSN) staat eerder in het bestand.",
}

# Answers of the API that are not about one melding's content (HTTP status in the text).
API = {
    "geen_melding": "400: de body is geen melding (geen JSON-object, melding_id ontbreekt, onbekende "
    "soort of een veld van het verkeerde type).",
    "batch_ongeldig": "400: de batch is geen object met een lijst 'meldingen' van 1 tot 1.000 meldingen.",
    "niet_geauthenticeerd": "401: gebruikersnaam of wachtwoord ontbreekt of klopt niet.",
    "afzender_niet_bevoegd": "403: de inloggegevens horen niet bij de werkgever van het "
    "collectiviteitsnummer.",
    "niet_gevonden": "404: geen melding met dit melding_id van deze afzender.",
    "melding_id_hergebruikt": "409: dit melding_id is eerder gebruikt voor een melding met andere inhoud.",
    "te_groot": "413: de body is groter dan toegestaan.",
    "te_veel_verzoeken": "429: te veel (mislukte) verzoeken; probeer het na Retry-After seconden opnieuw.",
}
