"""Points postings over real HTTP against gunicorn, beside raw INSERT+COMMIT of the same rows.

``make bench-points`` (or ``.venv/bin/python bench/points.py``). Prints figures, asserts nothing.
For each database (SQLite in a temp file, then PostgreSQL from scripts/pg-test-server.sh in a
database of its own) a child process:

1. migrates a fresh database; seeds a scheme, a merchant with its cashier, a reviewer, eight citizens
   whose wallets start with 200 points, a pool of signed one-time codes and claims waiting for credit;
2. serves the app with gunicorn (the deployment's config/gunicorn.conf.py, production settings) and
   runs 16 keep-alive clients for ~20 s after a warm-up: each in turn redeems 3 points with a code at
   the cashier's API (``Idempotency-Key`` set) and credits a claim at the reviewer's API, two clients
   per wallet so that redemptions race on the same balance;
3. writes the same rows (a posting, its two entries, both balances) with one INSERT/UPDATE + COMMIT per
   posting on one connection, no HTTP and no Django, for the same time;
4. runs the trial balance: every posting balanced, every balance the sum of its entries, none negative.

The last line is ``RESULT postings_per_s=… ratio_to_raw=… overdrafts=0`` (SQLite; PostgreSQL figures
are printed above it). ``overdrafts`` counts spendable accounts below zero plus accounts whose balance
is not the sum of their postings, on both databases.
"""

from __future__ import annotations

import argparse
import http.client
import json
import runpy
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.intake import drop_pg, free_port, log, pg_url, process_tree_cpu, run_child, start_server  # noqa: E402

SCRIPT = Path(__file__)

CLIENTS, WALLETS, START_POINTS = 16, 8, 200


def seed(per_client: int) -> dict[str, Any]:
    import datetime as dt

    from django.utils import timezone

    from huying.accounts.models import RoleAssignment, User
    from huying.accounts.roles import Role
    from huying.accounts.tokens import token_issue
    from huying.core.validators import uscc_check_char
    from huying.licences import keys, tokens
    from huying.organisations.models import OrgUnit
    from huying.organisations.services import org_unit_create
    from huying.points.claim_models import Claim
    from huying.points.ledger_models import Posting
    from huying.points.models import Merchant, MerchantStaff, Resolution, Scheme, SchemeItem
    from huying.points.services import ledger

    street = org_unit_create(name="章丘区文祖街道办事处", kind=OrgUnit.Kind.TOWNSHIP)
    scheme = Scheme.objects.create(code="zhili", name="治理有章", kind="reports", unit=street, publicity_days=0)
    today = timezone.localdate()
    res = Resolution.objects.create(scheme=scheme, body="居民代表会议", number="文祖居代〔2026〕1号", adopted_on=today)
    item = SchemeItem.objects.create(
        scheme=scheme, code="report_valid", name="随手拍", points=10, resolution=res, valid_from=today
    )
    merchant = Merchant.objects.create(
        name="银座", credit_code="91370100MA3C00001" + uscc_check_char("91370100MA3C00001"), unit=street
    )
    cashier = User.objects.create_user(username="cashier", password=None)
    RoleAssignment.objects.create(user=cashier, role=Role.MERCHANT, org_unit=street)
    MerchantStaff.objects.create(merchant=merchant, user=cashier)
    reviewer = User.objects.create_user(username="reviewer", password=None)
    RoleAssignment.objects.create(user=reviewer, role=Role.POINTS_REVIEWER, org_unit=street)
    people = [User.objects.create_user(username=f"citizen{i}", password=None) for i in range(WALLETS)]
    for i, person in enumerate(people):
        ledger.post(
            key=f"start:{i}",
            kind=Posting.Kind.EARN,
            reason="期初",
            lines=[(ledger.budget_account(scheme), -START_POINTS), (ledger.wallet_of(person), START_POINTS)],
            scheme=scheme,
        )
    # The codes the citizens' phones would show, signed ahead (the longest validity tokens allow, so
    # none expires during seeding and the run); the redemption checks them exactly as it does any code.
    keyring = keys.load_keyring()
    wallets = [ledger.wallet_of(p) for p in people]
    codes = {
        i: [
            tokens.issue_token(keyring, f"P{wallets[i].pk}", f"U{p.pk}", ttl_seconds=tokens.MAX_TTL_SECONDS)
            for _ in range(per_client * 2)
        ]
        for i, p in enumerate(people)
    }
    moment = timezone.now()
    rows = [
        Claim(
            number=f"JFB{c:02d}{n:06d}",
            source="bench",
            ref=f"{c}-{n}",
            item_code="report_valid",
            user=people[c % WALLETS],
            scheme=scheme,
            item=item,
            requested=10,
            points=10,
            occurred_at=moment - dt.timedelta(days=1),
            status="publicised",
            publicity_ends_at=moment - dt.timedelta(seconds=1),
            created_at=moment,
        )
        for c in range(CLIENTS)
        for n in range(per_client)
    ]
    Claim.objects.bulk_create(rows, batch_size=1000)
    claims: dict[int, list[int]] = {c: [] for c in range(CLIENTS)}
    for pk, ref in Claim.objects.values_list("pk", "ref"):
        claims[int(ref.split("-")[0])].append(pk)
    return {
        "cashier": token_issue(user=cashier)[1],
        "reviewer": token_issue(user=reviewer)[1],
        "codes": codes,
        "claims": claims,
        "merchant": merchant.pk,
        "wallets": [ledger.wallet_of(p).pk for p in people],
        "budget": ledger.budget_account(scheme).pk,
        "shop": ledger.merchant_account(merchant).pk,
    }


class Client(threading.Thread):
    """One keep-alive connection: redeem 3 points, credit a claim, again until ``stop_at``."""

    def __init__(self, index: int, port: int, world: dict[str, Any], stop_at: float):
        super().__init__(daemon=True)
        self.index, self.port, self.stop_at = index, port, stop_at
        self.codes = list(world["codes"][index % WALLETS][(index // WALLETS) :: 2])
        self.claims = list(world["claims"][index])
        self.cashier = {"Authorization": f"Token {world['cashier']}", "Content-Type": "application/json"}
        self.reviewer = {"Authorization": f"Token {world['reviewer']}", "Content-Type": "application/json"}
        self.samples: list[tuple[float, float, str]] = []  # (finished_at, ms, outcome)

    def call(self, conn: http.client.HTTPConnection, path: str, body: dict[str, Any], headers: dict[str, str]) -> str:
        started = time.perf_counter()
        conn.request("POST", path, json.dumps(body), headers)
        response = conn.getresponse()
        payload = json.loads(response.read() or b"{}")
        done = time.perf_counter()
        outcome = "ok" if response.status in (200, 201) else payload.get("code", str(response.status))
        self.samples.append((done, (done - started) * 1000, outcome))
        return outcome

    def run(self) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        seq = 0
        while time.perf_counter() < self.stop_at and self.codes and self.claims:
            seq += 1
            headers = {**self.cashier, "Idempotency-Key": f"c{self.index}-{seq}"}
            self.call(conn, "/api/v1/points/redeem/", {"token": self.codes.pop(), "points": 3}, headers)
            self.call(conn, f"/api/v1/points/claims/{self.claims.pop()}/act/", {"action": "credit"}, self.reviewer)
        conn.close()


def load(port: int, world: dict[str, Any], warmup: float, duration: float) -> dict[str, Any]:
    start = time.perf_counter()
    clients = [Client(i, port, world, start + warmup + duration) for i in range(CLIENTS)]
    for c in clients:
        c.start()
    for c in clients:
        c.join()
    window = [s for c in clients for s in c.samples if s[0] >= start + warmup]
    ok = [s for s in window if s[2] == "ok"]
    refused = [s for s in window if s[2] != "ok"]
    latencies = sorted(s[1] for s in window)
    elapsed = (max(s[0] for s in window) - (start + warmup)) if window else 1.0
    kinds: dict[str, int] = {}
    for s in refused:
        kinds[s[2]] = kinds.get(s[2], 0) + 1
    return {
        "postings_per_s": len(ok) / elapsed,
        "p50_ms": latencies[len(latencies) // 2] if latencies else 0.0,
        "p99_ms": latencies[int(len(latencies) * 0.99)] if latencies else 0.0,
        "requests": len(window),
        "refused": kinds,
    }


def raw_postings(seconds: float, world: dict[str, Any]) -> float:
    """One posting (its row, two entries, two balance UPDATEs) per COMMIT, straight SQL on one connection."""
    from django.db import connection, transaction
    from django.utils import timezone

    started, n = time.perf_counter(), 0
    with connection.cursor() as cursor:
        while time.perf_counter() - started < seconds:
            n += 1
            with transaction.atomic():
                cursor.execute(
                    "INSERT INTO points_posting (key, kind, reason, created_at) VALUES (%s, %s, %s, %s)",
                    [f"raw:{n}", "earn", "raw", timezone.now()],
                )
                cursor.execute("SELECT id FROM points_posting WHERE key = %s", [f"raw:{n}"])
                posting = cursor.fetchone()[0]
                for account, amount in ((world["budget"], -1), (world["shop"], 1)):
                    cursor.execute(
                        "INSERT INTO points_entry (posting_id, account_id, amount) VALUES (%s, %s, %s)",
                        [posting, account, amount],
                    )
                    cursor.execute("UPDATE points_account SET balance = balance + %s WHERE id = %s", [amount, account])
    return n / (time.perf_counter() - started)


def child(name: str, args: argparse.Namespace) -> None:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    world = seed(args.per_client)
    log(f"migrated and seeded in {time.perf_counter() - started:.1f} s ({connection.vendor})")
    connection.close()
    port = free_port()
    conf = runpy.run_path(str(ROOT / "config" / "gunicorn.conf.py"))
    server = start_server(port, conf["workers"], conf["threads"])
    try:
        log(
            f"gunicorn {conf['workers']}×{conf['threads']}; {CLIENTS} clients, {args.warmup:.0f} s warm-up + {args.duration:.0f} s"
        )
        cpu_before = process_tree_cpu(server.pid)
        result = load(port, world, args.warmup, args.duration)
        # The server's CPU per posting: a figure other work on a busy host barely moves.
        ok = result["postings_per_s"] * args.duration
        result["cpu_ms_per_posting"] = (process_tree_cpu(server.pid) - cpu_before) * 1000 / max(ok, 1)
    finally:
        server.terminate()
        server.wait(timeout=30)
    result["raw_per_s"] = raw_postings(args.duration / 2, world)
    result["ratio_to_raw"] = result["postings_per_s"] / result["raw_per_s"]
    from huying.points.services.periodic import trial_balance

    trial = trial_balance()
    result["overdrafts"] = trial.negative + trial.drifted + trial.unbalanced + (1 if trial.total else 0)
    log(
        f"{name}: {result['postings_per_s']:.1f} postings/s over HTTP (p50 {result['p50_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms,"
        f" {result['requests']} requests, refused {result['refused']}; server CPU {result['cpu_ms_per_posting']:.1f} ms per posting, warm-up included); raw {result['raw_per_s']:.1f}/s;"
        f" ratio {result['ratio_to_raw']:.3f}; trial balance {'ok' if trial.ok else 'OUT'} ({trial.postings} postings)"
    )
    print("CHILD_RESULT " + json.dumps(result), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--child", default="")
    parser.add_argument("--duration", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=3.0)
    parser.add_argument("--per-client", type=int, default=1500, dest="per_client")
    parser.add_argument("--skip-pg", action="store_true")
    args = parser.parse_args()
    if args.child:
        child(args.child, args)
        return
    results: dict[str, dict[str, Any]] = {}
    tmp = Path(tempfile.mkdtemp(prefix="huying-bench-"))
    try:
        results["sqlite"] = run_child("sqlite", f"sqlite:///{tmp / 'bench.sqlite3'}", args, SCRIPT)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not args.skip_pg:
        try:
            url = pg_url()
        except Exception as exc:  # no server, no psycopg: bench SQLite only
            log(f"\n=== postgresql ===\nskipped: no PostgreSQL server ({exc})")
        else:
            try:
                results["postgresql"] = run_child("postgresql", url, args, SCRIPT)
            finally:
                drop_pg(url)
    log("\n=== summary ===")
    for name, r in results.items():
        if r:
            log(
                f"{name:10s} {r['postings_per_s']:.1f} postings/s  p99 {r['p99_ms']:.1f} ms  raw {r['raw_per_s']:.1f}/s"
                f"  ratio {r['ratio_to_raw']:.3f}  CPU {r['cpu_ms_per_posting']:.1f} ms/posting  overdrafts {r['overdrafts']}"
            )
    sqlite = results.get("sqlite") or {}
    overdrafts = sum(r.get("overdrafts", 0) for r in results.values())
    log(
        f"RESULT postings_per_s={sqlite.get('postings_per_s', float('nan')):.1f}"
        f" ratio_to_raw={sqlite.get('ratio_to_raw', float('nan')):.3f} overdrafts={overdrafts}"
    )


if __name__ == "__main__":
    main()
