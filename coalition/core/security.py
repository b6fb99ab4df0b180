"""Security headers and CSP on every response; no inline script anywhere."""

from flask import Flask, current_app, request

CSP = "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"


def register_security_headers(app: Flask) -> None:
    """Add the security headers (and HSTS in production) to every response."""

    @app.after_request
    def set_headers(response):
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CSP)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        headers.setdefault("Referrer-Policy", "same-origin")
        headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()")
        if app.config.get("HSTS"):
            headers.setdefault("Strict-Transport-Security", "max-age=63072000; includeSubDomains")
        # Personal pages must not linger in shared caches or the back-button cache of a shared phone.
        if not request.path.startswith("/static/"):
            headers.setdefault("Cache-Control", "no-store")
        return response


def config_limit(name: str):
    """A Flask-Limiter limit read from the configuration at request time (e.g. "RATELIMIT_SENSITIVE")."""
    return lambda: current_app.config[name]
