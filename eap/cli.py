"""Operator commands: ``flask --app eap <command>``."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade

from eap import demo, schedules, transactions
from eap.reports.closing import close_quarter_command
from eap.security.passwords import password_problem
from eap.staff import accounts as staff_accounts
from eap.staff.models import STAFF_ROLES


def init_app(app: Flask) -> None:
    # Each command is one transaction (``transactions.cli_batch``, committed when it returns);
    # commands working in batches commit each batch with ``transactions.end_batch``.
    # ``@with_appcontext`` on each command: ``flask`` pushes a context itself, but
    # ``app.test_cli_runner()`` and other callers of ``app.cli`` do not.
    app.cli.add_command(migrate_command)
    app.cli.add_command(create_staff_command)
    app.cli.add_command(seed_demo_command)
    app.cli.add_command(sync_stripe_command)
    app.cli.add_command(reconcile_stripe_command)
    app.cli.add_command(purge_audit_log_command)
    app.cli.add_command(rotate_keys_command)
    app.cli.add_command(purge_expired_command)
    app.cli.add_command(purge_chats_command)
    app.cli.add_command(close_quarter_command)
    app.cli.add_command(staff_digest_command)
    app.cli.add_command(appointment_reminders_command)
    app.cli.add_command(fetch_calendars_command)


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Bring the database schema up to date (Alembic migrations)."""
    upgrade()
    click.echo("Database schema is up to date.")


@click.command("create-staff")
@with_appcontext
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--role", type=click.Choice(STAFF_ROLES), required=True)
@click.password_option()
@transactions.cli_batch
def create_staff_command(email: str, name: str, role: str, password: str) -> None:
    """Create an iGuS staff account; TOTP is enrolled at the first sign-in."""
    problem = password_problem(password)
    if problem:
        raise click.ClickException(str(problem))
    if staff_accounts.find_by_email(email):
        raise click.ClickException(f"A staff account for {email} exists already.")
    staff_accounts.create_staff(email, name, role, password)
    click.echo(f"Staff account {email} ({role}) created. TOTP is set up at the first sign-in.")


@click.command("seed-demo")
@with_appcontext
@transactions.cli_batch
def seed_demo_command() -> None:
    """Add the demo packages, employer and staff (idempotent) and print the demo logins."""
    if current_app.config["ENV_NAME"] == "production":
        # Published password and fixed TOTP secrets: never on a production database.
        raise click.ClickException("seed-demo is refused in production (EAP_ENV=production).")
    logins = demo.seed_demo()
    click.echo("\nDemo logins (development only):")
    for login in logins:
        click.echo(f"  {login.who:<28} {login.email:<36} password: {login.password}")
        if login.totp_secret:
            click.echo(
                f"  {'':<28} TOTP secret: {login.totp_secret}  "
                f"(current code: {demo.current_code(login.totp_secret)})"
            )
    base = current_app.config["PUBLIC_BASE_URL"]
    click.echo(f"  {'Employees and dependants':<28} access code: {demo.demo_access_code()}")
    click.echo(f"  {'':<28} {base}/help/")
    click.echo(f"  {'Live chat':<28} the demo counsellor is at {base}/staff/chat/ for 12 hours;")
    click.echo(f"  {'':<28} a guest starts at {base}/help/chat/ after the access code")
    click.echo("")


@click.command("sync-stripe")
@with_appcontext
@transactions.cli_batch
def sync_stripe_command() -> None:
    """Create or update the Stripe products and prices of all packages (idempotent)."""
    from eap.billing import sync

    for line in sync.sync_packages():
        click.echo(line)


@click.command("reconcile-stripe")
@with_appcontext
@click.option("--apply", "apply_", is_flag=True, help="Repair the local side (never Stripe).")
@schedules.run_once("reconcile-stripe", "daily")
@transactions.cli_batch
def reconcile_stripe_command(apply_: bool) -> None:
    """Compare every contract and paid invoice with Stripe (nightly cron); print differences.

    Exit status: 0 nothing to report; 1 differences were found (also when --apply repaired
    them); 2 some contracts could not be checked at Stripe; 3 both. A cron job or the systemd
    unit reports every non-zero run."""
    from eap.billing import reconcile

    ids = reconcile.contract_ids()
    findings = []
    # The bar goes to stderr: cron mails stdout, the differences and the summary line.
    with click.progressbar(reconcile.run(apply_), length=len(ids), label="Stripe",
                           file=sys.stderr) as bar:
        for finding in bar:
            transactions.end_batch()  # one transaction per contract
            findings.append(finding)
    for finding in findings:
        for line in finding.differences:
            click.echo(f"contract {finding.contract_id}: {line}")
        if finding.error:
            click.echo(f"contract {finding.contract_id}: not checked ({finding.error})")
    differing = sum(1 for f in findings if f.differences)
    errors = sum(1 for f in findings if f.error)
    action = "repaired" if apply_ else "run with --apply to repair"
    click.echo(f"Checked {len(findings)} contract(s): {differing} with differences "
               f"({action}), {errors} not reachable at Stripe.")
    status = (1 if differing else 0) | (2 if errors else 0)
    if status:
        transactions.end_batch()  # the repairs stay, whatever the exit status says
        sys.exit(status)


@click.command("rotate-keys")
@with_appcontext
@click.option("--batch-size", default=500, show_default=True)
@click.option("--host", "hosts", multiple=True, metavar="URL",
              help="A running portal process (e.g. http://app1:8000); repeat for every one.")
@click.option("--no-running-hosts", is_flag=True,
              help="No portal process is running (maintenance): skip the host check.")
@transactions.cli_batch
def rotate_keys_command(batch_size: int, hosts: tuple[str, ...], no_running_hosts: bool) -> None:
    """Re-encrypt all encrypted columns under the newest EAP_DATA_KEYS key (counts only).

    Refuses unless every running host (--host) has the new key first and every older key.
    """
    from eap.security import rotation

    own = [key_id for key_id, _ in current_app.config["DATA_KEYS"]]
    if not hosts and not no_running_hosts:
        raise click.ClickException(
            "Name every running portal process with --host URL (its /readyz is checked), "
            "or pass --no-running-hosts when none runs."
        )
    try:
        seen = {host: rotation.host_key_ids(host) for host in hosts}
    except rotation.RotationOrderError as error:
        raise click.ClickException(f"Refusing to rotate: {error}") from error
    problems = rotation.order_problems(own, seen)
    if problems:
        raise click.ClickException(
            "Refusing to rotate; first deploy EAP_DATA_KEYS with the new key first and the old "
            "keys after it on every host:\n  " + "\n  ".join(problems)
        )
    for host in hosts:
        click.echo(f"{host}: keys {seen[host]} - ready")
    counts = rotation.rotate(batch_size)
    for table, changed in counts.items():
        click.echo(f"{table}: {changed} row(s) re-encrypted")
    click.echo(f"Done: {sum(counts.values())} row(s). Older keys can now be removed.")


@click.command("purge-audit-log")
@with_appcontext
@schedules.run_once("purge-audit-log", "daily")
@transactions.cli_batch
def purge_audit_log_command() -> None:
    """Delete audit entries older than the retention period (EAP_AUDIT_RETENTION_DAYS), the
    periodic jobs' slot claims and the on-call windows (with their notices) older than 90 days."""
    from eap.oncall import rota
    from eap.security import audit

    removed = audit.purge_expired()
    click.echo(f"Audit entries older than {audit.retention_days()} days removed: {removed}")
    click.echo(f"Periodic job runs older than 90 days removed: {schedules.purge_old()}")
    click.echo(f"On-call windows ended over 90 days ago removed: {rota.purge_old()}")


@click.command("purge-expired")
@with_appcontext
@click.option("--batch-size", default=200, show_default=True)
@schedules.run_once("purge-expired", "daily")
@transactions.cli_batch
def purge_expired_command(batch_size: int) -> None:
    """Delete closed cases and inactive requester accounts past retention (cron-able).

    Prints counts only, never an id or any content.
    """
    from collections import Counter

    from eap.counselling import retention

    case_ids, account_ids = retention.plan()
    counts: Counter = Counter()
    total = len(case_ids) + len(account_ids)
    with click.progressbar(length=total, label="Purging") as bar:
        for done in retention.purge(case_ids, account_ids, counts, batch_size):
            transactions.end_batch()  # one transaction per batch
            bar.update(done)
    click.echo(f"Expired closed cases: {len(case_ids)}; inactive accounts: {len(account_ids)}")
    for table, deleted in sorted(counts.items()):
        click.echo(f"{table}: {deleted} row(s) deleted")


@click.command("purge-chats")
@with_appcontext
@schedules.run_once("purge-chats", "hourly")
@transactions.cli_batch
def purge_chats_command() -> None:
    """Hourly: guests' chats not kept in time or abandoned (24 h at most) are deleted; waiters
    gone for long leave the queue. Prints counts only."""
    from eap.chat import rooms

    ended = rooms.end_gone_waiters()
    deleted = rooms.purge_guests()
    click.echo(f"Waiters gone: {ended}; guest chats deleted: {deleted}")


@click.command("staff-digest")
@with_appcontext
@click.option("--to", default=None, help="Send the full digest here instead of "
              "EAP_TRIAGE_DUTY_EMAIL.")
@schedules.run_once("staff-digest", "daily")
@transactions.cli_batch
def staff_digest_command(to: str | None) -> None:
    """THE daily digest (cron, working days): cases due by the end of the next working day
    (paused clocks left out) and today's appointments; content-free."""
    from eap.counselling.staff_notices import send_digest

    cases, appointments, sent = send_digest(to=to)
    click.echo(f"Digest: {cases} open cases due by the end of the next working day, "
               f"{appointments} appointments today; {sent} mail(s) sent.")


@click.command("send-appointment-reminders")
@with_appcontext
@click.option("--hours", default=24, show_default=True, help="Remind of appointments this soon.")
@schedules.run_once("send-appointment-reminders", "hourly")
@transactions.cli_batch
def appointment_reminders_command(hours: int) -> None:
    """Content-free reminders to the requesters' notification addresses (cron-able, e.g. hourly).

    Each appointment is reminded of at most once; prints a count only.
    """
    from eap.counselling import appointments

    sent = appointments.send_reminders(hours=hours)
    click.echo(f"Appointment reminders sent: {sent}")


@click.command("fetch-calendars")
@with_appcontext
@schedules.run_once("fetch-calendars", "hourly")
@transactions.cli_batch
def fetch_calendars_command() -> None:
    """Read the counsellors' own calendar links: busy times of the next eight weeks block their
    booking slots (a timer, e.g. hourly). One transaction per counsellor; a failed fetch keeps
    the previous busy times and is shown to the counsellor. Prints counts only."""
    from eap.counselling import calendars

    read, failed = calendars.refresh_all()
    click.echo(f"Calendars read: {read}, failed: {failed}")
