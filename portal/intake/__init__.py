"""Digital meldingen arriving as files and API calls: reading, processing in the background, reports."""
