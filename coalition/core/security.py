"""Security headers and CSP on every response; no inline script anywhere."""

from flask import Flask, current_app, request

CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"


#: Sent with every response unless the view set its own.
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "same-origin"),
    ("Cross-Origin-Opener-Policy", "same-origin"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"),
)
HSTS = ("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
#: Personal pages must not linger in shared caches or the back-button cache of a shared phone.
NO_STORE = ("Cache-Control", "no-store")


def register_security_headers(app: Flask) -> None:
    """Add the security headers (and HSTS in production) to every response."""

    @app.after_request
    def set_headers(response):
        fixed = [*HEADERS, HSTS] if app.config.get("HSTS") else list(HEADERS)
        if not request.path.startswith("/static/"):
            fixed.append(NO_STORE)
        # One look at the headers already set, rather than one search of them per header.
        present = {name.lower() for name, _ in response.headers}
        response.headers.extend([(name, value) for name, value in fixed if name.lower() not in present])
        return response


def config_limit(name: str):
    """A Flask-Limiter limit read from the configuration at request time (e.g. "RATELIMIT_SENSITIVE")."""
    return lambda: current_app.config[name]
