"""Security headers on every response, HSTS in production only, CSRF on every form."""

import pytest


def plain_get_routes(app) -> list[str]:
    """Every GET route that needs no URL arguments: a new route is covered automatically."""
    return sorted(
        rule.rule
        for rule in app.url_map.iter_rules()
        if "GET" in rule.methods and not rule.arguments and rule.endpoint != "static"
    )


def test_there_are_routes_to_check(app):
    routes = plain_get_routes(app)
    assert {"/", "/packages", "/privacy", "/hr/login", "/staff/login"} <= set(routes)


def test_security_headers_on_every_plain_get_route(app, client):
    for url in plain_get_routes(app):
        response = client.get(url)
        headers = response.headers
        csp = headers.get("Content-Security-Policy", "")
        directives = dict(
            (part.strip().split(" ", 1) + [""])[:2] for part in csp.split(";") if part.strip()
        )
        assert directives.get("default-src") == "'self'", url
        assert directives.get("frame-ancestors") == "'none'", url
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
        assert headers.get("X-Content-Type-Options") == "nosniff", url
        assert headers.get("Referrer-Policy") == "no-referrer", url
        assert headers.get("Cache-Control") == "no-store", url
        assert "Strict-Transport-Security" not in headers, url


def test_error_responses_carry_the_headers_too(client):
    response = client.get("/does-not-exist")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "no-store"


def test_static_files_may_be_cached_but_keep_the_other_headers(client):
    response = client.get("/static/css/eap.css")
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") != "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    response.close()


def test_hsts_only_in_production(monkeypatch, _schema):
    for name, value in {
        "EAP_ENV": "production",
        "EAP_SECRET_KEY": "a-long-random-production-secret-key-0123456789",
        "EAP_DATABASE_URL": _schema,
        "EAP_DATA_KEYS": "p1:" + "A" * 43 + "=",
        "EAP_STRIPE_SECRET_KEY": "sk_live_example",
        "EAP_STRIPE_WEBHOOK_SECRET": "whsec_live_example",
        "EAP_MAIL_SERVER": "127.0.0.1",
        "EAP_PUBLIC_BASE_URL": "https://localhost",
    }.items():
        monkeypatch.setenv(name, value)
    from eap import create_app
    from eap.extensions import db

    app = create_app({"TESTING": True, "SERVER_NAME": "localhost"})
    response = app.test_client().get("/")
    with app.app_context():
        db.engine.dispose()  # no pooled connection may outlive the test
    hsts = response.headers["Strict-Transport-Security"]
    assert int(hsts.split("max-age=")[1].split(";")[0]) >= 365 * 24 * 3600


@pytest.mark.parametrize("url", ["/hr/login", "/staff/login", "/hr/forgot-password", "/language"])
def test_post_without_csrf_token_is_refused_with_a_friendly_page(client, url):
    response = client.post(url, data={"email": "a@example.org", "password": "x", "lang": "en"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "Formular war abgelaufen" in page
    assert "Traceback" not in page


def test_post_with_a_forged_csrf_token_is_refused(client):
    client.get("/hr/login")
    response = client.post(
        "/hr/login", data={"csrf_token": "forged", "email": "a@example.org", "password": "x"}
    )
    assert response.status_code == 400


def test_every_rendered_form_carries_a_csrf_token(app, client):
    for url in plain_get_routes(app):
        page = client.get(url).get_data(as_text=True)
        for form in page.split("<form")[1:]:
            form = form.split("</form>")[0]
            if 'method="post"' in form.split(">")[0]:
                assert 'name="csrf_token"' in form, url


def test_session_cookie_is_hardened(client):
    client.get("/hr/login")  # renders a CSRF token, so the session is stored
    cookie = client.get_cookie("__Host-eap_session")
    assert cookie is not None
    assert cookie.secure and cookie.http_only and cookie.same_site == "Lax"
    assert cookie.path == "/" and cookie.expires is None


def test_session_cookie_header_fits_the_host_prefix(client):
    header = client.get("/hr/login").headers["Set-Cookie"]
    assert header.startswith("__Host-eap_session=")
    assert "Domain=" not in header and "Path=/" in header and "Secure" in header
