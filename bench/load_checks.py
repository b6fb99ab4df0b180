"""The load test's verdicts (bench/loadtest.py), on plain data so that tests can feed them bad runs.

Each check returns a dict with its figures and `ok`. `failures()` names the checks that did not pass.
"""

import math
from collections import Counter
from dataclasses import dataclass

from limits import parse_many


@dataclass(frozen=True)
class Sample:
    """One request of the load: what it was, which server answered, how, how fast, and whether that was expected."""

    kind: str
    port: int
    status: int
    ms: float
    ok: bool


def percentile(ordered: list[float], share: float) -> float:
    """The value at `share` (0..1) of an ascending list (nearest rank); 0 for an empty list."""
    if not ordered:
        return 0.0
    return ordered[min(len(ordered) - 1, max(0, math.ceil(share * len(ordered)) - 1))]


def traffic_check(samples: list[Sample], seconds: float) -> dict:
    """Requests, errors, req/s and p50/p99 latency, in all and per kind and per server; ok when nothing failed."""

    def figures(group: list[Sample]) -> dict:
        ordered = sorted(s.ms for s in group)
        return {
            "requests": len(group),
            "errors": sum(not s.ok for s in group),
            "rps": round(len(group) / seconds, 1) if seconds else 0.0,
            "p50_ms": round(percentile(ordered, 0.50), 1),
            "p99_ms": round(percentile(ordered, 0.99), 1),
        }

    kinds = sorted({s.kind for s in samples})
    ports = sorted({s.port for s in samples})
    bad = Counter(f"{s.kind} → {s.status}" for s in samples if not s.ok)
    result = figures(samples)
    result.update(
        seconds=round(seconds, 1),
        kinds={kind: figures([s for s in samples if s.kind == kind]) for kind in kinds},
        servers={str(port): figures([s for s in samples if s.port == port]) for port in ports},
        unexpected=dict(bad.most_common()),
    )
    result["ok"] = bool(samples) and result["errors"] == 0 and len(ports) >= 2
    return result


def mail_check(deliveries: list[dict], rows: list[dict]) -> dict:
    """Mail received by the SMTP server against the outbox rows of the run.

    `deliveries`: [{"message_id", "to"}] as received; `rows`: [{"message_id", "to_address", "dedupe_key", "status"}].
    Fails on any message delivered twice (same Message-ID, or same recipient and dedupe key), on mail received that
    the outbox never sent, on sent rows never received, and on rows still waiting or failed.
    """
    by_id = {row["message_id"]: row for row in rows}
    received = Counter(d["message_id"] for d in deliveries)
    keyed = Counter(
        (d["to"].lower(), by_id[d["message_id"]]["dedupe_key"])
        for d in deliveries
        if by_id.get(d["message_id"], {}).get("dedupe_key")
    )
    sent = [row for row in rows if row["status"] == "sent"]
    result = {
        "delivered": len(deliveries),
        "outbox_sent": len(sent),
        "twice_same_message_id": sum(n - 1 for n in received.values() if n > 1),
        "twice_same_recipient_and_key": sum(n - 1 for n in keyed.values() if n > 1),
        "received_not_sent": sum(1 for message_id in received if by_id.get(message_id, {}).get("status") != "sent"),
        "sent_not_received": sum(1 for row in sent if row["message_id"] not in received),
        "waiting": sum(1 for row in rows if row["status"] in ("pending", "sending")),
        "failed": sum(1 for row in rows if row["status"] == "failed"),
        "by_kind": dict(Counter(row["kind"] for row in sent).most_common()),
    }
    counted = ("twice_same_message_id", "twice_same_recipient_and_key", "received_not_sent", "sent_not_received")
    result["ok"] = (
        all(result[name] == 0 for name in (*counted, "waiting", "failed"))
        and result["delivered"] == result["outbox_sent"]
    )
    return result


def capacity_check(meetings: list[dict]) -> dict:
    """Meetings with a capacity, counted from their RSVPs: none over capacity, places kept right, no one left waiting.

    `meetings`: [{"id", "capacity", "seats_taken", "yes_places", "seats_held", "smallest_waiting", "waiting"}], where
    yes_places counts each yes with a place and its guests, and smallest_waiting is the smallest waiting party.
    """
    over = [m["id"] for m in meetings if m["yes_places"] > m["capacity"]]
    drift = [m["id"] for m in meetings if m["seats_taken"] != m["seats_held"] or m["seats_held"] != m["yes_places"]]
    passed_over = [
        m["id"]
        for m in meetings
        if m["smallest_waiting"] is not None and m["smallest_waiting"] <= m["capacity"] - m["yes_places"]
    ]
    return {
        "meetings": len(meetings),
        "full": sum(1 for m in meetings if m["yes_places"] >= m["capacity"]),
        "waiting": sum(m.get("waiting") or 0 for m in meetings),
        "over_capacity": over,
        "places_miscounted": drift,
        "waiting_while_a_place_is_free": passed_over,
        "ok": not over and not drift and not passed_over,
    }


def smallest_limit(limits: str) -> int:
    """The fewest requests a Flask-Limiter limit string allows in any of its windows ("5 per minute; 20 per hour")."""
    return min(item.amount for item in parse_many(limits))


def login_limit_check(statuses: list[int], ports: list[int], limits: str) -> dict:
    """Wrong passwords for one account sent alternately to the servers: the limit must hold across all of them.

    With the limits kept in one shared storage, exactly the allowed number of attempts are answered (200, the form
    again) and every later one is refused (429); with storage per process, each server would allow its own share.
    """
    allowed = smallest_limit(limits)
    answered = sum(1 for status in statuses if status == 200)
    expected = [200] * allowed + [429] * (len(statuses) - allowed)
    return {
        "limit": limits,
        "attempts": len(statuses),
        "servers": sorted(set(ports)),
        "answered": answered,
        "refused": sum(1 for status in statuses if status == 429),
        "statuses": statuses,
        "ok": statuses == expected and len(set(ports)) >= 2 and len(statuses) > allowed,
    }


def processes_check(processes: list[dict]) -> dict:
    """The app servers and workers: none died before it was stopped, none logged an error or a traceback.

    `processes`: [{"name", "exit_code" (None while it ran to the end), "errors" (error lines in its log)}].
    """
    died = [p["name"] for p in processes if p.get("exit_code") is not None]
    errors = {p["name"]: p["errors"] for p in processes if p.get("errors")}
    return {"processes": processes, "died": died, "errors": errors, "ok": bool(processes) and not died and not errors}


def failures(checks: dict) -> list[str]:
    """The names of the checks that failed."""
    return [name for name, check in checks.items() if not check.get("ok")]
