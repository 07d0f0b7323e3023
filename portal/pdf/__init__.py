"""Documents made as PDF: the polisblad."""
