"""Delivering several requests at the same moment: one thread and one app context each."""

from __future__ import annotations

import json
import threading

from tests.billing.stripe_env import sign


def together(app, calls) -> list:
    """Run each ``call(client)`` in its own thread, all released at once by a barrier."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(index, call):
        client = app.test_client()
        barrier.wait()
        try:
            results[index] = call(client)
        except Exception as error:  # noqa: BLE001 - reported to the test, not swallowed
            results[index] = error

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for result in results:
        if isinstance(result, Exception):
            raise result
    return results


def webhook(payload: dict):
    """A call for ``together``: the event, signed, to the webhook endpoint."""
    body = json.dumps(payload).encode()

    def call(client):
        return client.post("/stripe/webhook", data=body, headers={
            "Stripe-Signature": sign(body), "Content-Type": "application/json"})

    return call


def deliver_until_accepted(client, payload: dict, attempts: int = 20):
    """What Stripe does with a 5xx: deliver the same event again."""
    for _ in range(attempts):
        response = webhook(payload)(client)
        if response.status_code == 200:
            return response
    raise AssertionError(f"event {payload['id']} never accepted: {response.status_code}")
