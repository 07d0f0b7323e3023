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

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font("DejaVu", size=8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 10, f"Zorg en Zekerheid · {self.voettekst} · pagina {self.page_no()}", align="C")


def document(titel: str, voettekst: str) -> FPDF:
    """An A4 document with its first page, fonts loaded."""
    pdf = _Blad(format="A4")
    pdf.voettekst = voettekst
    pdf.set_title(titel)
    pdf.set_author("Zorg en Zekerheid")
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.add_page()
    return pdf


def kop(pdf: FPDF, tekst: str) -> None:
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 12)
    pdf.cell(0, 8, tekst, new_x="LMARGIN", new_y="NEXT")


def regels(pdf: FPDF, paren: list[tuple[str, str]]) -> None:
    """Label and value on each line."""
    pdf.set_font("DejaVu", size=10)
    for label, waarde in paren:
        pdf.cell(50, 6, label)
        pdf.multi_cell(0, 6, waarde or "-", new_x="LMARGIN", new_y="NEXT")
