"""``python -m eap.billing.emulator COMMAND…``: Stripe on this machine, for ``make run``.

Starts localstripe and the stand-in on free loopback ports, runs ``flask sync-stripe`` against
them, then runs COMMAND (the development server) with ``EAP_STRIPE_API_BASE``,
``EAP_STRIPE_SECRET_KEY`` and a fresh ``EAP_STRIPE_WEBHOOK_SECRET`` pointing the portal at the
emulator. Checkout then ends on the portal's "test payment" page. Stops everything on exit.
Refuses to run unless ``EAP_ENV`` is development.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from eap.billing.emulator.localstripe_process import API_KEY, start_localstripe
from eap.billing.emulator.standin import StandIn


def main(command: list[str]) -> int:
    if os.environ.get("EAP_ENV", "development") != "development":
        print("The Stripe emulator is for development only (EAP_ENV=development).",
              file=sys.stderr)
        return 2
    if not command:
        print("usage: python -m eap.billing.emulator COMMAND…", file=sys.stderr)
        return 2
    process, localstripe_port = start_localstripe()
    stand_in = StandIn(localstripe_port, with_vat_rate=False)
    portal = os.environ.get("EAP_PUBLIC_BASE_URL", "http://127.0.0.1:5000").rstrip("/")
    secret = "whsec_dev_" + secrets.token_hex(16)
    stand_in.webhook = (f"{portal}/stripe/webhook", secret)
    env = {**os.environ, "EAP_ENV": "development", "EAP_STRIPE_API_BASE": stand_in.url,
           "EAP_STRIPE_SECRET_KEY": API_KEY, "EAP_STRIPE_WEBHOOK_SECRET": secret}
    try:
        print(f"Local Stripe emulator: {stand_in.url} (localstripe on 127.0.0.1:"
              f"{localstripe_port}); webhooks go to {portal}/stripe/webhook", flush=True)
        sync = [sys.executable, "-m", "flask", "--app", "eap", "sync-stripe"]
        subprocess.run(sync, env=env, check=True)  # noqa: S603 - our own command
        print("Buying works without any account: checkout ends on the local "
              "\"test payment\" page.", flush=True)
        return subprocess.call(command, env=env)  # noqa: S603 - the Makefile's command
    except KeyboardInterrupt:
        return 130
    finally:
        stand_in.stop()
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
