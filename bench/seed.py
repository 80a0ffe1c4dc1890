"""Realistic data volume for the benchmark, inserted in bulk.

Full volume: 300 organisations (contract, access code, HR owner each), 20k requester accounts,
200k help requests with two messages each, the anonymous usage counters; then 1M help requests
for the staff inbox and the HR report alone. ``BENCH_QUICK=1``:
20 organisations, 2k accounts, 10k requests. Cases are added in steps so that the staff
inbox and the HR report can be measured at a small and at the full volume. The measured HR
user's organisation gets all its cases (3k; 600 quick) in the first step: its report shows the
same at every volume, so a step measures the volume and not a fuller report.

Speed: the encrypted texts are encrypted a few times and the ciphertexts reused (they are
valid, decryptable ciphertexts under the benchmark key); rows go in with ``executemany``
(SQLite) or ``COPY`` (PostgreSQL), bypassing the ORM.
"""

from __future__ import annotations

import base64
import os
import random
import secrets
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import upgrade

from eap import create_app, demo
from eap.extensions import db
from eap.security.crypto import EncryptedText, encrypt

DATA_KEYS = "b1:" + base64.urlsafe_b64encode(b"b" * 32).decode()
SECRET_KEY = "bench-secret-key-0123456789abcdef"
REQUESTER_KEY = "BENCHKEYABCDEFGHJKMN"  # the benchmark requester's case key (20 symbols)
REQUESTER_PASSPHRASE = "violet harbour lantern drifts slowly"
CHUNK = 5_000

TEXTS = [
    "Ich schlafe seit Wochen schlecht und mache mir Sorgen um meine Stelle.",
    "Meine Mutter braucht Pflege und ich weiß nicht, wie ich das schaffen soll.",
    "Seit der Trennung komme ich mit den Finanzen nicht mehr zurecht.",
    "Unser Sohn zieht sich zurück und spricht kaum noch mit uns.",
    "Ich habe Rückenschmerzen und brauche eine zweite Meinung.",
]
REPLIES = [
    "Danke für Ihre Nachricht. Ich melde mich morgen telefonisch bei Ihnen.",
    "Wir können gern einen Termin für ein Videogespräch vereinbaren.",
    "Hier sind zwei Beratungsstellen in Ihrer Nähe, die Ihnen weiterhelfen können.",
]
AREAS = {"psychological": ["stress", "anxiety", "family", "work_conflict"],
         "social": ["debt", "care", "housing"], "medical": ["second_opinion", "chronic"]}
FOR_WHOM = ["self", "self", "self", "partner", "child", "relative"]
URGENCY = ["normal"] * 8 + ["urgent"] * 2
CONTACTS = ["messages", "messages", "phone", "video", "in_person"]
LANGUAGES = ["de"] * 7 + ["en", "tr", "ar", "ru", "uk"]
TYPES = ["employee"] * 4 + ["dependant"]


@dataclass
class Volume:
    organisations: int
    accounts: int
    cases: int  # the full volume
    small_cases: int  # the first step, for the small-versus-full comparison
    scale_cases: int = 0  # a last step for the staff inbox and the HR report only (0: none)
    counsellors: int = 40
    # The measured HR user's organisation: this many cases, all in the first step, so that its
    # report is the same at every volume (the growth goes to the other organisations).
    hr_org_cases: int = 3_000


FULL = Volume(organisations=300, accounts=20_000, cases=200_000, small_cases=10_000,
              scale_cases=1_000_000)
QUICK = Volume(organisations=20, accounts=2_000, cases=10_000, small_cases=3_000,
               hr_org_cases=600)
GROW_CHUNK = 100_000  # cases generated and inserted at a time (bounded memory)


@dataclass
class Seeded:
    """What the benchmark needs to sign in and which objects to open."""

    logins: dict
    requester_case: str = ""
    counsellor_case: str = ""
    account_ids: list[int] = field(default_factory=list)
    org_ids: list[int] = field(default_factory=list)
    counsellor_ids: list[int] = field(default_factory=list)
    account_orgs: dict = field(default_factory=dict)
    next_case: int = 0
    cases: int = 0

    def accounts_of_measured_org(self, measured: bool) -> list[int]:
        """The accounts of the measured HR user's organisation, or (False) of all the others."""
        return [a for a in self.account_ids
                if (self.account_orgs[a][0] == self.org_ids[0]) is measured]

    def growth_accounts(self) -> list[int]:
        """The accounts that get the cases of every later step."""
        return self.accounts_of_measured_org(False)


def bench_app(database_url: str):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "DATA_KEYS": DATA_KEYS,
                       "SECRET_KEY": SECRET_KEY})


def prepare(database_url: str, quick: bool) -> Seeded:
    """Migrate a fresh database; seed the demo logins, organisations, accounts and the small
    volume of cases. Returns what the benchmark needs."""
    volume = QUICK if quick else FULL
    app = bench_app(database_url)
    with app.app_context():
        _reset(database_url)
        upgrade()
        logins = demo.seed_demo()
        db.session.commit()
        seeded = Seeded(logins=_login_table(logins))
        _organisations(seeded, volume)
        _staff(seeded, volume)
        _accounts(seeded, volume)
        _cases(seeded, volume.hr_org_cases, seeded.accounts_of_measured_org(True))
        _cases(seeded, volume.small_cases - volume.hr_org_cases, seeded.growth_accounts())
        _fix_sequences()  # the rows above came with explicit ids
        _special_cases(seeded)
        _fix_sequences()
        db.engine.dispose()
    return seeded


def grow(database_url: str, seeded: Seeded, quick: bool, target: int | None = None) -> None:
    """Add cases up to ``target`` (default: the full volume), a chunk at a time."""
    volume = QUICK if quick else FULL
    target = target or volume.cases
    app = bench_app(database_url)
    with app.app_context():
        while seeded.cases < target:
            _cases(seeded, min(GROW_CHUNK, target - seeded.cases), seeded.growth_accounts())
        _fix_sequences()
        if database_url.startswith("postgresql"):
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as c:
                # The counters are rewritten per chunk: clear the dead rows as autovacuum
                # would in a running system, and refresh the planner's statistics.
                c.execute(sa.text("VACUUM ANALYZE"))
        db.engine.dispose()


def _login_table(logins) -> dict:
    by_role = {login.who.split()[-1]: login for login in logins if login.totp_secret}
    return {
        "hr_email": demo.DEMO_HR_EMAIL,
        "password": demo.DEMO_PASSWORD,
        "staff_email": by_role["triage"].email,
        "staff_totp": by_role["triage"].totp_secret,
        "counsellor_email": by_role["counsellor"].email,
        "counsellor_totp": by_role["counsellor"].totp_secret,
        "admin_email": by_role["admin"].email,
        "admin_totp": by_role["admin"].totp_secret,
        "requester_key": REQUESTER_KEY,
        "requester_passphrase": REQUESTER_PASSPHRASE,
    }


def _reset(database_url: str) -> None:
    if database_url.startswith("sqlite"):
        db.engine.dispose()
        path = sa.engine.make_url(database_url).database
        if path and path != ":memory:" and os.path.exists(path):
            os.remove(path)
    if database_url.startswith("postgresql"):
        _ensure_pg_database(database_url)
        with db.engine.begin() as connection:
            connection.execute(sa.text("DROP SCHEMA public CASCADE"))
            connection.execute(sa.text("CREATE SCHEMA public"))


def _ensure_pg_database(database_url: str) -> None:
    url = sa.engine.make_url(database_url)
    admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": url.database}
        )
        if not exists:
            connection.execute(sa.text(f'CREATE DATABASE "{url.database}"'))
    admin.dispose()


# --- bulk insertion ------------------------------------------------------------------------

def _table(name: str) -> sa.Table:
    return db.metadata.tables[name]


class _Context:
    """Enough of SQLAlchemy's execution context for context-sensitive column defaults."""

    def __init__(self, row: dict):
        self.row = row

    def get_current_parameters(self) -> dict:
        return self.row


def _default(column: sa.Column, row: dict):
    default = column.default
    if default is None:
        return None
    if default.is_callable:
        return default.arg(_Context(row))
    return default.arg if default.is_scalar else None


def bulk(table_name: str, rows: list[dict]) -> None:
    """Insert ``rows`` fast; encrypted columns take ready-made ciphertexts; missing columns
    get their Python-side defaults."""
    if not rows:
        return
    table = _table(table_name)
    given = set(rows[0])
    fill = {c.name: c for c in table.columns if c.name not in given and c.default is not None}
    for row in rows:
        for name, column in fill.items():
            row[name] = _default(column, row)
    names = list(rows[0])
    if db.engine.dialect.name == "postgresql":
        _copy(table_name, names, rows)
        return
    raw = sa.table(table_name, *[
        sa.column(c.name, sa.Text() if isinstance(c.type, EncryptedText) else c.type)
        for c in table.columns if c.name in names
    ])
    with db.engine.begin() as connection:
        for start in range(0, len(rows), CHUNK):
            connection.execute(sa.insert(raw), rows[start:start + CHUNK])


def _copy(table_name: str, names: list[str], rows: list[dict]) -> None:
    columns = ", ".join(f'"{name}"' for name in names)
    with db.engine.begin() as connection:
        cursor = connection.connection.driver_connection.cursor()
        with cursor.copy(f'COPY "{table_name}" ({columns}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([_pg_value(row[name]) for name in names])


def _pg_value(value):
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value)
    return value


def _next_id(table_name: str) -> int:
    table = _table(table_name)
    return (db.session.scalar(sa.select(sa.func.max(table.c.id))) or 0) + 1


def _fix_sequences() -> None:
    if db.engine.dialect.name != "postgresql":
        return
    with db.engine.begin() as connection:
        for table in db.metadata.sorted_tables:
            if "id" in table.c and isinstance(table.c.id.type, sa.Integer):
                connection.execute(sa.text(
                    f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                    f"GREATEST((SELECT COALESCE(MAX(id), 0) FROM \"{table.name}\"), 1))"
                ))


# --- the volume ----------------------------------------------------------------------------

def _now() -> datetime:
    return datetime.now(UTC)


def _organisations(seeded: Seeded, volume: Volume) -> None:
    from eap.employers.models import HrUser, Organisation
    from eap.packages.models import ServicePackage
    from eap.security.lookup import lookup_digest

    now = _now()
    password_hash = db.session.scalar(sa.select(HrUser.password_hash).limit(1))
    packages = db.session.scalars(sa.select(ServicePackage.id)).all()
    demo_org = db.session.scalar(sa.select(Organisation.id))
    first = _next_id("organisations")
    org_ids = [demo_org] + list(range(first, first + volume.organisations - 1))
    bulk("organisations", [
        dict(id=n, name=f"Bench {n} GmbH", billing_email=f"billing@bench{n}.example",
             employee_count=random.randint(20, 5000), created_at=now)
        for n in org_ids[1:]
    ])
    bulk("hr_users", [
        dict(organisation_id=n, email=f"hr@bench{n}.example", password_hash=password_hash,
             role="owner", email_verified_at=now, created_at=now)
        for n in org_ids[1:]
    ])
    start = now - timedelta(days=800)
    from eap.billing.models import Contract
    from eap.employers.models import AccessCode

    has_contract = set(db.session.scalars(sa.select(Contract.organisation_id)))
    has_code = set(db.session.scalars(sa.select(AccessCode.organisation_id)))
    bulk("contracts", [
        dict(organisation_id=n, package_id=random.choice(packages), seats=random.randint(20, 900),
             status="active", created_at=start, current_period_start=now - timedelta(days=10),
             current_period_end=now + timedelta(days=20))
        for n in org_ids if n not in has_contract
    ])
    code = encrypt("BENCHCODE0000000")
    bulk("access_codes", [
        dict(organisation_id=n, code=code, digest=lookup_digest("access-code", f"B{n}X"),
             label="", is_primary=True, active=True, created_at=start)
        for n in org_ids if n not in has_code
    ])
    seeded.org_ids = org_ids


def _staff(seeded: Seeded, volume: Volume) -> None:
    from eap.staff.models import StaffUser

    password_hash = db.session.scalar(sa.select(StaffUser.password_hash).limit(1))
    now = _now()
    first = _next_id("staff_users")
    ids = list(range(first, first + volume.counsellors))
    bulk("staff_users", [
        dict(id=n, email=f"counsellor{n}@igus-bench.example", name=f"Berater {n}",
             password_hash=password_hash, role="counsellor", active=True,
             languages="de,en", created_at=now)
        for n in ids
    ])
    seeded.counsellor_ids = ids


def _accounts(seeded: Seeded, volume: Volume) -> None:
    from eap.employers.models import AccessCode
    from eap.requests.accounts import key_digest
    from eap.security.passwords import hash_password

    codes = dict(db.session.execute(sa.select(AccessCode.organisation_id, AccessCode.id)).all())
    passphrase_hash = hash_password(REQUESTER_PASSPHRASE)
    first = _next_id("requester_accounts")
    today = _now().date()
    rows = []
    for i in range(volume.accounts):
        org = seeded.org_ids[i % len(seeded.org_ids)]
        rows.append(dict(
            id=first + i, public_id=secrets.token_urlsafe(16),
            case_key_digest=key_digest(REQUESTER_KEY) if i == 0 else secrets.token_hex(32),
            recovery_digest=secrets.token_hex(32), passphrase_hash=passphrase_hash,
            organisation_id=org, access_code_id=codes.get(org), requester_type=random.choice(TYPES),
            last_seen_on=today - timedelta(days=random.randint(0, 300)), created_at=_now(),
        ))
    bulk("requester_accounts", rows)
    seeded.account_ids = [row["id"] for row in rows]
    seeded.account_orgs = {row["id"]: (row["organisation_id"], row["requester_type"],
                                       row["access_code_id"]) for row in rows}
    seeded.next_case = _next_id("help_requests")


def _cases(seeded: Seeded, count: int, accounts: list[int]) -> None:
    """``count`` more help requests of ``accounts``, two messages each, and their counters."""
    from eap.requests.counters import month_of
    from eap.requests.deadlines import quarter_of

    descriptions = [encrypt(text) for text in TEXTS]
    replies = [encrypt(text) for text in REPLIES]
    callback = encrypt("+49 271 5550000")
    now = _now()
    cases, messages = [], []
    cells: Counter = Counter()
    months: Counter = Counter()
    rng = random.Random(seeded.next_case)
    for n in range(seeded.next_case, seeded.next_case + count):
        account = accounts[rng.randrange(len(accounts))]
        org, requester_type, code_id = seeded.account_orgs[account]
        created = now - timedelta(minutes=rng.randint(0, 720 * 24 * 60))
        area = rng.choice(list(AREAS))
        topic = rng.choice(AREAS[area])
        urgency = rng.choice(URGENCY)
        acute = rng.random() < 0.01
        contact = rng.choice(CONTACTS)
        language = rng.choice(LANGUAGES)
        roll = rng.random()
        status = ("new" if roll < 0.02 else "in_progress" if roll < 0.06
                  else "waiting" if roll < 0.08 else "closed")
        assignee = None if status == "new" else rng.choice(seeded.counsellor_ids)
        for_whom = rng.choice(FOR_WHOM)
        cases.append(dict(
            id=n, public_id=secrets.token_urlsafe(16), account_id=account, organisation_id=org,
            submission_id=secrets.token_hex(16), area=area, topic=topic, for_whom=for_whom,
            urgency=urgency, acute_danger=acute, priority=1 if acute else (2 if urgency ==
                                                                           "urgent" else 3),
            preferred_contact=contact, callback_number=callback if contact == "phone" else None,
            callback_window=None, language=language, description=rng.choice(descriptions),
            status=status, response_due_at=created + timedelta(hours=24),
            assigned_staff_id=assignee, version=1, created_at=created,
            closed_at=created + timedelta(days=rng.randint(1, 60)) if status == "closed"
            else None,
        ))
        messages.append(dict(public_id=secrets.token_urlsafe(16), case_id=n, author="requester",
                             staff_id=None, body=rng.choice(descriptions),
                             created_at=created + timedelta(minutes=5), read_at=None))
        if status != "new":
            messages.append(dict(public_id=secrets.token_urlsafe(16), case_id=n, author="staff",
                                 staff_id=assignee, body=rng.choice(replies),
                                 created_at=created + timedelta(hours=3), read_at=None))
        quarter = quarter_of(created)
        for dimension, value in (
            ("total", "all"), ("requester_type", requester_type), ("area", area),
            ("topic", topic), ("for_whom", for_whom), ("urgency", urgency),
            ("acute_danger", "yes" if acute else "no"), ("contact", contact),
            ("language", language), ("access_code", str(code_id or "none")),
            # the employer report's bounded counters (eap.requests.counters); the benchmark
            # counts every seeded request as its account's first of the quarter and year
            ("q_area", area), ("y_topic", topic), ("y_requester_type", requester_type),
            ("y_contact", contact), ("y_site", str(code_id or "none")),
        ):
            cells[(org, quarter, dimension, value)] += 1
        months[(month_of(created), "area", area)] += 1
    bulk("help_requests", cases)
    bulk("request_messages", messages)
    _add_counters(cells, months)
    seeded.next_case += count
    seeded.cases += count


def _add_counters(cells: Counter, months: Counter) -> None:
    """Merge into the counters (the second step adds to the cells of the first)."""
    from eap.requests.models import ServiceCounter, UsageCounter

    existing = {
        (r.organisation_id, r.quarter, r.dimension, r.value): r.count
        for r in db.session.execute(sa.select(UsageCounter.organisation_id, UsageCounter.quarter,
                                              UsageCounter.dimension, UsageCounter.value,
                                              UsageCounter.count))
    }
    for key, value in existing.items():
        cells[key] += value
    service = {
        (r.month, r.dimension, r.value): r.count
        for r in db.session.execute(sa.select(ServiceCounter.month, ServiceCounter.dimension,
                                              ServiceCounter.value, ServiceCounter.count))
    }
    for key, value in service.items():
        months[key] += value
    db.session.execute(sa.delete(UsageCounter))
    db.session.execute(sa.delete(ServiceCounter))
    db.session.commit()
    bulk("usage_counters", [dict(organisation_id=o, quarter=q, dimension=d, value=v, count=c)
                            for (o, q, d, v), c in cells.items()])
    bulk("service_counters", [dict(month=m, dimension=d, value=v, count=c)
                              for (m, d, v), c in months.items()])


def _special_cases(seeded: Seeded) -> None:
    """The benchmark requester's case and the demo counsellor's case, with a thread each."""
    from eap.requests.models import HelpRequest, Message, RequesterAccount
    from eap.staff.models import StaffUser

    counsellor = db.session.scalar(
        sa.select(StaffUser).where(StaffUser.email == seeded.logins["counsellor_email"])
    )
    requester = db.session.get(RequesterAccount, seeded.account_ids[0])
    now = _now()
    made = []
    for assignee in (counsellor.id, counsellor.id):
        case = HelpRequest(
            account_id=requester.id, organisation_id=requester.organisation_id,
            submission_id=secrets.token_hex(16), area="psychological", topic="stress",
            for_whom="self", urgency="normal", acute_danger=False, priority=3,
            preferred_contact="messages", language="de", description=TEXTS[0],
            status="in_progress", response_due_at=now + timedelta(hours=20),
            assigned_staff_id=assignee, created_at=now - timedelta(days=3),
        )
        db.session.add(case)
        db.session.flush()
        for k in range(6):
            db.session.add(Message(
                case_id=case.id, author="requester" if k % 2 == 0 else "staff",
                staff_id=None if k % 2 == 0 else assignee,
                body=(TEXTS if k % 2 == 0 else REPLIES)[k % 3],
                created_at=now - timedelta(days=3) + timedelta(hours=k),
            ))
        made.append(case.public_id)
    db.session.commit()
    seeded.requester_case, seeded.counsellor_case = made
    seeded.counsellor_ids.append(counsellor.id)  # the second step gives them a caseload
    seeded.next_case = _next_id("help_requests")
