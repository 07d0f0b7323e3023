"""Domain rules in plain modules: no request, no templates; views, uploads, API and CLI call them."""
