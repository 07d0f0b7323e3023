"""The factuur of a borderel: number, contract, period, totals equal to the borderel's, payment."""

from __future__ import annotations

from portal.documents import opmaak
from portal.domain.dates import laatste_dag, maandnaam
from portal.domain.formatting import datum, euro

# The insurer's account for collective premiums (a demo value: the real one comes with go-live).
IBAN = "NL91 ABNA 0417 1643 00"
TEN_NAME_VAN = "Zorg en Zekerheid Zorgverzekeraar"


def maak(contract, borderel, factuur) -> bytes:
    """The PDF; ``borderel`` carries the totals, ``factuur`` the number and dates."""
    organisatie = contract.organisatie
    pdf = opmaak.document(
        f"Factuur {factuur.factuurnummer}",
        f"Factuur {factuur.factuurnummer}",
        teksten=[organisatie.naam, contract.label, borderel.bestandsnaam, "€"],
    )
    pdf.set_font(pdf.letter, "B", 18)
    pdf.cell(0, 10, "Factuur collectieve zorgverzekering", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    opmaak.regels(
        pdf,
        [
            ("Factuurnummer", factuur.factuurnummer),
            ("Factuurdatum", datum(factuur.factuurdatum)),
            ("Vervaldatum", datum(factuur.vervaldatum)),
        ],
    )
    opmaak.kop(pdf, "Aan")
    opmaak.regels(
        pdf,
        [
            ("Organisatie", organisatie.naam),
            ("KvK-nummer", organisatie.kvk_nummer),
            ("Contract", contract.label),
            ("Collectiviteitsnummer", contract.collectiviteitsnummer),
        ],
    )
    opmaak.kop(pdf, f"Premie over {maandnaam(borderel.periode)}")
    opmaak.regels(
        pdf,
        [
            ("Periode", f"{datum(borderel.periode)} t/m {datum(laatste_dag(borderel.periode))}"),
            ("Borderel", borderel.bestandsnaam),
            ("Aantal regels", str(borderel.aantal_regels)),
        ],
    )
    pdf.ln(2)
    pdf.set_font(pdf.letter, size=10)
    with pdf.table(col_widths=(110, 60), text_align=("LEFT", "RIGHT"), line_height=7) as table:
        for label, bedrag in (
            ("Bruto premie", borderel.totaal_bruto),
            ("Collectieve korting", -borderel.totaal_korting),
            ("Te betalen", borderel.totaal_netto),
        ):
            rij = table.row()
            rij.cell(label)
            rij.cell(euro(bedrag))
    opmaak.kop(pdf, "Betaling")
    opmaak.regels(
        pdf,
        [
            ("Bedrag", euro(borderel.totaal_netto)),
            ("IBAN", IBAN),
            ("Ten name van", TEN_NAME_VAN),
            ("Betalingskenmerk", factuur.factuurnummer),
            ("Uiterlijk op", datum(factuur.vervaldatum)),
        ],
    )
    pdf.ln(4)
    pdf.set_font(pdf.letter, size=9)
    pdf.multi_cell(
        0,
        5,
        "De specificatie per verzekerde staat in het borderel met dezelfde periode. "
        "Correctieregels in het borderel verrekenen wijzigingen in eerdere maanden.",
    )
    return bytes(pdf.output())
