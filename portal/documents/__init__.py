"""Documents the portal makes: PDFs (factuur, polisblad) and Excel/CSV downloads."""
