"""Request glue: access, sessions, login, htmx, templating, errors, security headers."""
