#!/usr/bin/env python3
"""Writes jobs/cart/events.jsonl: the sample events of the cart-recovery journey (seeded, reproducible).

    python3 jobs/cart/generate-events.py

600 profiles abandon a cart over two days from 2026-03-02T08:00Z. Each profile's story is drawn from a
random generator of its own (seeded with SEED and its id), in a fixed order of draws, so that changing what
one profile does never changes another's. The files are committed: no test runs this script.

How each profile behaves depends on the email it gets, i.e. on its arm of the experiment "offer-test":
  - before the winner rule decides, the arm of the engine's stable hash (SplitStepProcessor.bucket: the first
    8 bytes of SHA-256 of profileId NUL journeyId NUL stepId, unsigned, mod 10000; the arms, in order, own
    percent * 100 buckets each);
  - from DECIDED_AT on (the instant the simulation's winner rule decided, read from its steps.jsonl: the first
    step event with "winner": true), the winner, "discount".
Profiles before DECIDED_AT do the same whatever DECIDED_AT is, so the rule decides at the same instant again.
"""
import hashlib
import json
import os
import random
from datetime import datetime, timedelta, timezone

SEED = 20260302
PROFILES = 600
START = datetime(2026, 3, 2, 8, 0, 0, tzinfo=timezone.utc)
SPREAD = timedelta(days=2)
JOURNEY, EXPERIMENT = "cart-recovery", "offer-test"
ARMS = [("discount", 45), ("reminder", 45), ("holdout", 10)]
WAIT = timedelta(hours=1)
WINDOW = timedelta(days=7)
# p-0003 buys its cart exactly 7 days after the abandonment (too late), p-0004 one second before (converts)
EDGES = (3, 4)
CLICK_WINDOW = timedelta(days=2)
# the first "winner": true step event of `./journeys simulate` over these events (see README.md)
DECIDED_AT = datetime(2026, 3, 3, 6, 1, 19, tzinfo=timezone.utc)

# chance to buy the abandoned cart within the 7 days, by the email received
BUYS = {"discount": 0.34, "reminder": 0.12, "holdout": 0.08}
# chance to click the email within 2 days (the holdout gets none)
CLICKS = {"discount": 0.45, "reminder": 0.30, "holdout": 0.0}


def arm_of(profile_id):
    digest = hashlib.sha256(f"{profile_id}\0{JOURNEY}\0{EXPERIMENT}".encode()).digest()
    bucket = int.from_bytes(digest[:8], "big") % 10000
    upper = 0
    for arm, percent in ARMS:
        upper += round(percent * 100)
        if bucket < upper:
            return arm
    return ARMS[-1][0]


def iso(instant):
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def main():
    spread = random.Random(SEED)
    # distinct seconds, so that no two profiles reach the experiment at the same instant
    offsets = sorted(spread.sample(range(int(SPREAD.total_seconds())), PROFILES))
    events = []

    def event(profile_id, kind, at, data):
        events.append((at, profile_id, kind, data))

    for n, offset in enumerate(offsets, start=1):
        profile_id = f"p-{n:04d}"
        rng = random.Random(f"{SEED}/{profile_id}")
        entered = START + timedelta(seconds=offset)
        cart = f"c-{n:04d}-1"
        total = round(rng.uniform(15, 300), 2)
        event(profile_id, "cart.abandoned", entered, {"cartId": cart, "total": total})
        reached = entered + WAIT
        arm = "discount" if reached >= DECIDED_AT else arm_of(profile_id)
        # every draw below happens whatever the arm, so that a profile's story differs only where its arm does
        before_email, u_buy, buy_after = rng.random(), rng.random(), rng.expovariate(1 / 16)
        u_late, late_after = rng.random(), rng.uniform(0, 40)
        u_other, other_after = rng.random(), rng.uniform(0, 6 * 24)
        u_click, click_after = rng.random(), rng.expovariate(1 / 5)
        u_again, again_after = rng.random(), rng.uniform(48, 72)
        again_buy, again_buy_after = rng.random(), rng.expovariate(1 / 16)
        u_late_click, late_click_after = rng.random(), rng.uniform(0, 24)
        if n in EDGES:
            before_email, u_buy, u_late, u_other, u_again = 1, 1, 1, 1, 1  # buy once, at the edge (below)
        if before_email < 0.03:
            # unsubscribes during the hour's wait: exits, gets no email
            event(profile_id, "unsubscribed", entered + timedelta(minutes=5 + 50 * rng.random()), {})
            continue
        if before_email < 0.07:
            # buys the cart before any email: converts and ends the journey (an exit goal), no arm
            event(profile_id, "order.placed", entered + timedelta(minutes=5 + 50 * rng.random()),
                  {"cartId": cart, "total": total})
            continue
        bought = u_buy < BUYS[arm]
        if bought:
            at = reached + timedelta(hours=min(buy_after, 6 * 24))
            event(profile_id, "order.placed", at, {"cartId": cart, "total": total})
        elif u_late < 0.04:
            # buys the same cart, but 7 days or more after the abandonment: too late to convert
            event(profile_id, "order.placed", entered + WINDOW + timedelta(hours=late_after),
                  {"cartId": cart, "total": total})
        if u_other < 0.06:
            # orders another cart within the week: not a conversion of this one
            event(profile_id, "order.placed", reached + timedelta(hours=other_after),
                  {"cartId": f"c-{n:04d}-x", "total": round(total / 2, 2)})
        if arm != "holdout" and (u_click < CLICKS[arm] or bought):
            after = timedelta(hours=click_after)
            if bought:
                after = min(after, at - reached - timedelta(minutes=1))  # buyers click before they buy
            event(profile_id, "email.clicked", reached + max(after, timedelta(minutes=1)), {"cartId": cart})
        elif arm != "holdout" and u_late_click < 0.1:
            # clicks the email 2 days or more after the abandonment: too late for the goal "clicked"
            event(profile_id, "email.clicked", entered + CLICK_WINDOW + timedelta(hours=late_click_after),
                  {"cartId": cart})
        if u_again < 0.05:
            # abandons a second cart two to three days later: enters again (after the winner: discount)
            again = entered + timedelta(hours=again_after)
            second = f"c-{n:04d}-2"
            event(profile_id, "cart.abandoned", again, {"cartId": second, "total": round(total * 0.8, 2)})
            again_arm = "discount" if again + WAIT >= DECIDED_AT else arm_of(profile_id)
            if again_buy < BUYS[again_arm]:
                event(profile_id, "order.placed", again + WAIT + timedelta(hours=min(again_buy_after, 6 * 24)),
                      {"cartId": second, "total": round(total * 0.8, 2)})

    # on the edges of the windows: exactly 7 days after entry is too late; one second before is not
    first = min(e for e in events if e[2] == "cart.abandoned" and e[1] == "p-0003")
    events.append((first[0] + WINDOW, "p-0003", "order.placed", first[3]))
    edge = min(e for e in events if e[2] == "cart.abandoned" and e[1] == "p-0004")
    events.append((edge[0] + WINDOW - timedelta(seconds=1), "p-0004", "order.placed", edge[3]))

    events.sort(key=lambda e: (e[0], e[1]))
    lines = []
    for i, (at, profile_id, kind, data) in enumerate(events, start=1):
        lines.append(json.dumps({"eventId": f"cart-{i:05d}", "profileId": profile_id, "type": kind,
                                 "timestamp": iso(at), "data": data}, ensure_ascii=False))
    # one malformed line (cut short), in the middle: a dead letter, the rest goes on
    lines.insert(len(lines) // 2, '{"eventId": "cart-broken", "profileId": "p-0100", "type": "order.placed", '
                                  '"timestamp": "2026-03-04T12:00:00Z", "data": {"cartId": "c-0100-1"')
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "events.jsonl")
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
