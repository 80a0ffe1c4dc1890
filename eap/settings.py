"""Every operator setting in one typed table, and the fixed ones; eap/config.py loads them.

docs/settings.md is generated from ``SETTINGS`` (``make readme-settings``); a test keeps them equal.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Setting:
    """One operator setting: its ``app.config`` key, typed default and what it means.

    ``production`` says what production needs: ``"required"`` (start-up refuses without it),
    ``"recommended"``, ``"set it"`` or ``""``. The settings table in docs/settings.md is
    generated from this list (``make readme-settings``); a test keeps the two equal.
    """

    key: str
    default: object
    kind: type
    meaning: str
    production: str = ""
    env: str = ""
    shown_default: str = ""  # how the README states a default that is computed

    @property
    def env_name(self) -> str:
        return self.env or f"EAP_{self.key}"


S = Setting
SETTINGS: tuple[Setting, ...] = (
    S("ENV_NAME", "development", str, "`production` turns on the start-up checks and HSTS",
      "set it to `production`", env="EAP_ENV"),
    S("SECRET_KEY", "", str, "signs the session cookie and e-mailed links", "required",
      shown_default="generated into `instance/secret_key`"),
    S("SQLALCHEMY_DATABASE_URI", "", str, "SQLAlchemy URL; `postgres://` and `postgresql://` get "
      "the psycopg 3 driver", "required", env="EAP_DATABASE_URL",
      shown_default="`sqlite:///instance/eap.sqlite`"),
    S("DATA_KEYS", "", str, "encryption keys for free texts and contact data: "
      "`id:base64-32-bytes,id:base64-32-bytes`, **newest first**; the first encrypts, all "
      "decrypt (rotation: docs/operations.md)", "required",
      shown_default="generated into `instance/data_key`"),
    S("LOOKUP_KEY", "", str, "HMAC key for looking up access codes and case keys by digest; keep "
      "it stable (changing it invalidates every code and case key)", "recommended",
      shown_default="the secret key"),
    S("RATELIMIT_STORAGE_URI", "memory://", str, "Flask-Limiter storage; use Redis, e.g. "
      "`redis://127.0.0.1:6379/0`, so limits hold across processes", "recommended"),
    S("REDIS_URL", "", str, "Redis for the live chat's notices across processes and hosts "
      "(pub/sub), e.g. `redis://127.0.0.1:6379/1`", "recommended",
      shown_default="empty: notices stay in one process"),
    S("LOGIN_RATE_LIMIT", "5 per minute", str, "failed logins per account name before a new "
      "browser is asked for more proof of work (a browser that signed in before: before 429)"),
    S("TOTP_ACCOUNT_LIMIT", "20 per hour", str, "wrong TOTP codes per account across password "
      "steps (browsers that signed in before apart)"),
    S("GLOBAL_FAILURE_THRESHOLD", "100 per minute", str, "failed verifications of all kinds "
      "together; past it each failure waits `EAP_GLOBAL_FAILURE_DELAY` and administrators are "
      "alerted — a right secret is never refused (SECURITY.md)"),
    S("GLOBAL_FAILURE_DELAY", 1.0, float, "seconds each failure waits past the threshold"),
    S("GLOBAL_FAILURE_ALERT_EVERY", "1 per 10 minutes", str,
      "how often administrators are alerted while the threshold is passed"),
    S("REQUESTER_SECRET_LIMIT", "5 per minute;20 per hour", str,
      "attempts per access code / case key"),
    S("ACCOUNT_BURST_THRESHOLD", "10 per hour", str,
      "new accounts on one access code past which the admin figures count a burst (never a "
      "refusal: SECURITY.md, \"Limits\")"),
    S("POW_MAX_NUMBER", 50_000, int,
      "work of the proof of work on the access-code, new-account, sign-in, sign-up and offer "
      "steps (ALTCHA's largest "
      "number; the browser needs about half as many SHA-256 hashes)"),
    S("POW_MAX_DOUBLINGS", 6, int,
      "the work doubles with every step one browser session already passed, up to this often"),
    S("POW_NOJS_WAIT", 3.0, float,
      "seconds a page without JavaScript must have been open before the step is accepted "
      "(doubles like the work)"),
    S("POW_LOGIN_PRESSURE_DOUBLINGS", 4, int,
      "extra doublings of the proof of work on the HR and staff password step for an account "
      "name with `EAP_LOGIN_RATE_LIMIT` failures from browsers it never signed in with: each "
      "further guess costs that much more, and the owner on a new device is asked once for it "
      "instead of being refused"),
    S("STAFF_IDLE_TIMEOUT", 30 * 60, int, "seconds without activity before staff are signed out"),
    S("HR_IDLE_TIMEOUT", 60 * 60, int, "seconds without activity before HR users are signed out"),
    S("REQUESTER_IDLE_TIMEOUT", 30 * 60, int, "seconds without activity before a requester is "
      "signed out (shared or family computers)"),
    S("PERMANENT_SESSION_LIFETIME", 12 * 3600, int,
      "absolute limit of any HR or staff sign-in, in seconds"),
    S("TOKEN_MAX_AGE", 24 * 3600, int, "validity of e-mail confirmation links, in seconds"),
    S("RESET_TOKEN_MAX_AGE", 3600, int, "validity of password-reset links, in seconds"),
    S("MAIL_SERVER", "", str, "SMTP host; production refuses to start without it (mails hold "
      "reset links)", "required", shown_default="empty: mails go to the log"),
    S("MAIL_PORT", 25, int, "SMTP port"),
    S("MAIL_USE_TLS", False, bool, "STARTTLS"),
    S("MAIL_USERNAME", "", str, "SMTP login"),
    S("MAIL_PASSWORD", "", str, "SMTP password (always text, even when it is all digits)"),
    S("MAIL_SENDER", "EAP-Portal iGuS <no-reply@igus-eap.example>", str, "sender of every e-mail"),
    S("PUBLIC_BASE_URL", "http://127.0.0.1:5000", str, "the portal's public address, used in "
      "e-mailed links, the poster and Stripe return URLs (never the request's Host)", "required"),
    S("TRUSTED_HOSTS", "", str, "host names the portal answers to, comma-separated; any other Host "
      "header gets 400", shown_default="in production: the host of `EAP_PUBLIC_BASE_URL`"),
    S("STRIPE_SECRET_KEY", "sk_test_development", str, "Stripe API key", "required"),
    S("STRIPE_PUBLISHABLE_KEY", "pk_test_development", str, "Stripe publishable key"),
    S("STRIPE_WEBHOOK_SECRET", "whsec_development", str,
      "signing secret of the Stripe webhook endpoint", "required"),
    S("STRIPE_API_BASE", "", str, "another Stripe API address (the local emulator)",
      shown_default="empty (Stripe itself)"),
    S("STRIPE_TAX_RATE_ID", "", str, "another Stripe tax rate for every subscription",
      shown_default="empty: the 19 % VAT rate `sync-stripe` keeps"),
    S("PHONE_LINE_NUMBER", "0271 000 000 0", str, "the iGuS phone line on the requester pages "
      "(an EXAMPLE number: set the real one; empty hides it)", "set it"),
    S("PHONE_LINE_DIAL", "+492710000000", str, "what its tel: link dials (empty: the number's "
      "digits)"),
    S("PHONE_LINE_HOURS", "mon-fri 08:00-18:00", str,
      "its hours, e.g. `mon-thu 08:00-18:00; fri 08:00-14:00` (Berlin time; closed on the public "
      "holidays of NRW)"),
    S("ONCALL_PHONE", "", str, "the on-call phone line: shown on the requester pages instead of "
      "the closed office line while an on-call window runs (empty: none shown)"),
    S("ONCALL_PHONE_DIAL", "", str, "what its tel: link dials (empty: the number's digits)"),
    S("VIDEO_URL_TEMPLATE", "", str, "room link on iGuS's own (self-hosted) video service for "
      "video appointments; `{room}` is replaced by a random room name (empty: no video links)"),
    S("VIDEO_JWT_APP_ID", "", str, "Jitsi token authentication: the app id (`app_id` in "
      "prosody); with `EAP_VIDEO_JWT_SECRET` each video link carries a signed, per-appointment "
      "`?jwt=` token (empty: plain room links, docs/counselling.md)"),
    S("VIDEO_JWT_SECRET", "", str, "Jitsi token authentication: the shared HS256 secret "
      "(`app_secret` in prosody; at least 32 random bytes)"),
    S("VIDEO_JWT_AUDIENCE", "jitsi", str, "the tokens' `aud` claim (prosody's "
      "`asap_accepted_audiences`)"),
    S("VIDEO_JWT_SUBJECT", "", str, "the tokens' `sub` claim: the Jitsi domain",
      shown_default="the host of `EAP_VIDEO_URL_TEMPLATE`"),
    S("VIDEO_JWT_LEAD_MINUTES", 10, int, "minutes before the appointment from which its video "
      "link is valid (it expires at the appointment's end)"),
    S("REFERRAL_FOLLOW_UP_DAYS", 21, int, "days after a referral until a requester who agreed is "
      "asked whether they reached the service and whether it helped"),
    S("OFFER_REQUEST_EMAIL", "vertrieb@igus-eap.example", str,
      "iGuS address that receives offer requests (empty: none sent)", "set it"),
    S("ADMIN_ALERT_EMAIL", "admin@igus-eap.example", str, "iGuS administrators' address for "
      "alerts (VAT ID registered twice, failure pressure; empty: none sent)", "set it"),
    S("TRIAGE_DUTY_EMAIL", "triage-dienst@igus-eap.example", str, "on-duty triage address: a new "
      "acute-danger request is announced there at once, and the daily digest goes there, "
      "content-free (empty: none sent)", "set it"),
    S("ACUTE_NOTICE_TO_TRIAGE_STAFF", False, bool, "also announce a new acute-danger request to "
      "every active triage staff member's own address (each address once)"),
    S("CHAT_MAX_PARALLEL", 2, int, "chats a counsellor holds at once unless they set another "
      "number at the chat desk"),
    S("CHAT_WAITER_GONE_SECONDS", 180, int, "a waiting person whose page has not asked for this "
      "long has left the waiting room"),
    S("CHAT_GUEST_KEEP_MINUTES", 60, int, "how long after its end a guest may still keep a "
      "chat as an anonymous account; then it is deleted (an abandoned one after 24 hours)"),
    S("CHAT_STREAM_SECONDS", 50, int, "how long one chat event stream stays open before the "
      "browser reconnects (below the proxy's read timeout)"),
    S("CHAT_POLL_SECONDS", 2.0, float, "while Redis cannot be reached, how often a chat stream "
      "reads the database"),
    # The seller on the e-invoices (docs/einvoices.md): EXAMPLE DATA, set them before going live.
    S("SELLER_NAME", "iGuS GmbH", str, "seller name on e-invoices", "set it"),
    S("SELLER_STREET", "Musterstraße 1", str, "seller street", "set it"),
    S("SELLER_POSTCODE", "57072", str, "seller postcode", "set it"),
    S("SELLER_CITY", "Siegen", str, "seller city", "set it"),
    S("SELLER_COUNTRY", "DE", str, "seller country (ISO 3166 code)"),
    S("SELLER_VAT_ID", "DE000000000", str, "seller VAT ID", "set it"),
    S("SELLER_CONTACT", "Buchhaltung iGuS", str, "seller contact person or department"),
    S("SELLER_PHONE", "+49 271 0000000", str, "seller contact telephone", "set it"),
    S("SELLER_EMAIL", "rechnung@igus-eap.example", str, "seller contact e-mail", "set it"),
    S("SELLER_IBAN", "DE02120300000000202051", str, "IBAN for invoices paid by transfer",
      "set it"),
    S("SELLER_BIC", "BYLADEM1001", str, "BIC of that account", "set it"),
    S("SELLER_SEPA_CREDITOR_ID", "DE98ZZZ09999999999", str,
      "SEPA creditor ID for direct-debit invoices", "set it"),
    S("EINVOICE_FONT", "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", str,
      "TrueType font embedded in the ZUGFeRD PDF/A-3 (Debian's fonts-dejavu-core)"),
    S("RETENTION_CLOSED_MONTHS", 12, int, "months after closing before a case is purged "
      "(`purge-expired`)"),
    S("RETENTION_INACTIVE_MONTHS", 12, int, "months without a visit before a requester account "
      "without an open case is purged"),
    S("AUDIT_RETENTION_DAYS", 730, int, "how long audit-log entries are kept"),
    S("LOG_LEVEL", "INFO", str, "Python log level"),
    S("MAX_CONTENT_LENGTH", 1024 * 1024, int, "largest request body in bytes; larger ones get "
      "the 413 page"),
    S("PAGE_CACHE_SECONDS", 60, int, "how long each worker keeps the public pages rendered for "
      "anonymous visitors (`0` turns it off)"),
)
del S

# Fixed by the portal's design, not operator settings (tests may still override them).
FIXED = {
    "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
    "SQLALCHEMY_RECORD_QUERIES": False,
    "SESSION_COOKIE_NAME": "__Host-eap_session",
    "SESSION_COOKIE_SECURE": True,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_PATH": "/",
    "WTF_CSRF_TIME_LIMIT": None,  # the token lives as long as the session
    "BABEL_DEFAULT_LOCALE": "de",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Berlin",
    "RATELIMIT_HEADERS_ENABLED": False,
    "RATELIMIT_ENABLED": True,
    "MAIL_SYNC": False,  # tests send mail in the request instead of a thread
    "HSTS": False,  # turned on by production start-up
}

DEFAULTS = {**FIXED, **{setting.key: setting.default for setting in SETTINGS}}

# What production must be told explicitly, and under which environment variable.
REQUIRED_IN_PRODUCTION = {
    setting.key: setting.env_name for setting in SETTINGS if setting.production == "required"
}


def markdown_table() -> str:
    """The settings table of docs/settings.md, made from ``SETTINGS``."""
    rows = ["| variable | production | default (development) | meaning |",
            "| --- | --- | --- | --- |"]
    for setting in SETTINGS:
        default = setting.shown_default or (
            f"`{str(setting.default).lower() if setting.kind is bool else setting.default}`"
            if setting.default != "" else "empty")
        need = f"**{setting.production}**" if setting.production == "required" else (
            setting.production or "–")
        rows.append(f"| `{setting.env_name}` | {need} | {default} | {setting.meaning} |")
    return "\n".join(rows) + "\n"
