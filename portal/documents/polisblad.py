"""The polisblad: the document an insured person receives by post, also downloadable in the portal."""

from __future__ import annotations

from datetime import date

from portal.documents import opmaak
from portal.domain import premie
from portal.domain.aanmelden import BETALINGSWIJZEN
from portal.domain.formatting import datum, euro
from portal.models import Deelname, Polis

ROLLEN = {"hoofdverzekerde": "Hoofdverzekerde", "partner": "Partner", "kind": "Kind"}


def _iban_gemaskeerd(iban: str | None) -> str:
    """Only the last four characters, as on statements: the document travels by post."""
    if not iban:
        return "-"
    return f"{iban[:4]} •••• •••• ••{iban[-4:-2]} {iban[-2:]}"


def maak(polis: Polis, deelname: Deelname | None, gemaakt_op: date) -> bytes:
    """The polisblad of ``polis``; ``deelname`` is the person's deelname in its contract."""
    persoon = polis.persoon
    premies = premie.van_polis(polis)
    pdf = opmaak.document(f"Polisblad {polis.polisnummer}", "Polisblad")

    pdf.set_font(pdf.letter, "B", 18)
    pdf.cell(0, 10, "Polisblad zorgverzekering", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(pdf.letter, size=10)
    pdf.cell(0, 6, f"Zorg en Zekerheid · gemaakt op {datum(gemaakt_op)}", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)

    adres = " ".join(p for p in (persoon.straat, persoon.huisnummer, persoon.huisnummer_toevoeging) if p)
    opmaak.kop(pdf, "Verzekerde")
    opmaak.regels(
        pdf,
        [
            ("Naam", persoon.volledige_naam),
            ("Relatienummer", persoon.relatienummer),
            ("Geboortedatum", datum(persoon.geboortedatum)),
            ("Adres", f"{adres}, {persoon.postcode or ''} {persoon.woonplaats or ''}".strip(", ")),
        ],
    )
    if deelname is not None and deelname.rol != "hoofdverzekerde" and deelname.hoofd_deelname:
        hoofd = deelname.hoofd_deelname.persoon
        opmaak.regels(
            pdf,
            [
                ("Rol", ROLLEN[deelname.rol]),
                ("Hoofdverzekerde", f"{hoofd.volledige_naam} (relatienummer {hoofd.relatienummer})"),
            ],
        )

    opmaak.kop(pdf, "Polis")
    contract = deelname.contract if deelname is not None else None
    opmaak.regels(
        pdf,
        [
            ("Polisnummer", polis.polisnummer),
            ("Ingangsdatum", datum(polis.ingangsdatum)),
            ("Collectief contract", contract.label if contract else "geen (individueel)"),
            ("Collectiviteitsnummer", contract.collectiviteitsnummer if contract else "-"),
            ("Betalingswijze", BETALINGSWIJZEN.get(polis.betalingswijze, polis.betalingswijze)),
            ("IBAN", _iban_gemaskeerd(polis.iban)),
        ],
    )

    opmaak.kop(pdf, f"Verzekeringen en premie per maand in {polis.ingangsdatum.year}")
    pdf.set_font(pdf.letter, size=10)
    with pdf.table(
        col_widths=(70, 30, 30, 40), text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT"), line_height=7
    ) as table:
        kop = table.row()
        for tekst in ("Verzekering", "Premie", "Korting", "Premie na korting"):
            kop.cell(tekst)
        for p in premies:
            rij = table.row()
            rij.cell(p.product.naam)
            rij.cell(euro(p.bruto))
            rij.cell(f"{p.korting_percentage:.2f}%".replace(".", ","))
            rij.cell(euro(p.netto))
        totaal = table.row()
        totaal.cell("Totaal per maand")
        totaal.cell("")
        totaal.cell("")
        totaal.cell(euro(premie.som(premies)))
    pdf.ln(6)
    pdf.set_font(pdf.letter, size=9)
    pdf.multi_cell(
        0,
        5,
        "De collectieve korting geldt zolang de verzekerde deelnemer is van het "
        "collectieve contract. De verzekeringspas wordt apart per post verzonden.",
    )
    return bytes(pdf.output())
