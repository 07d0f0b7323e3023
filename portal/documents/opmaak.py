"""The house style of the portal's PDF documents (polisblad, factuur): font, margins, headings.

DejaVu Sans is embedded (subset) so every name prints, also 'Łukasz' or 'Şahin', which the
PDF core fonts cannot.
"""

from __future__ import annotations

from pathlib import Path

from fpdf import FPDF

FONTS = Path(__file__).parent / "fonts"


class _Blad(FPDF):
    voettekst = ""
    letter = "DejaVu"

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(self.letter, size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 10, f"Zorg en Zekerheid · {self.voettekst} · pagina {self.page_no()}", align="C")


def westers(teksten) -> bool:
    """Whether every text prints in a PDF core font (Windows-1252: Dutch, € and the like)."""
    try:
        for tekst in teksten:
            str(tekst).encode("cp1252")
    except UnicodeEncodeError:
        return False
    return True


def document(titel: str, voettekst: str, teksten=None) -> FPDF:
    """An A4 document with its first page; ``pdf.letter`` is the font family to use.

    With ``teksten`` that all print in a core font, Helvetica is used: embedding DejaVu costs
    a tenth of a second per document, which the monthly run of 200 facturen would pay 200 times.
    """
    pdf = _Blad(format="A4")
    pdf.voettekst = voettekst
    pdf.set_title(titel)
    pdf.set_author("Zorg en Zekerheid")
    if teksten is not None and westers([titel, voettekst, *teksten]):
        pdf.core_fonts_encoding = "cp1252"
        pdf.letter = "helvetica"
    else:
        pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
        pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    return pdf


def kop(pdf: FPDF, tekst: str) -> None:
    pdf.ln(3)
    pdf.set_font(pdf.letter, "B", 12)
    pdf.cell(0, 8, tekst, new_x="LMARGIN", new_y="NEXT")


def regels(pdf: FPDF, paren: list[tuple[str, str]]) -> None:
    """Label and value on each line."""
    pdf.set_font(pdf.letter, size=10)
    for label, waarde in paren:
        pdf.cell(50, 6, label)
        pdf.multi_cell(0, 6, waarde or "-", new_x="LMARGIN", new_y="NEXT")
