#!/usr/bin/env python3
"""Writes jobs/rules/events.jsonl and profiles.jsonl: the sample data of the marketing rule set (seeded, reproducible).

    python3 jobs/rules/generate-events.py

300 profiles, p-001 to p-300, from 2026-03-02 (a Monday) to 2026-04-03, across the daylight-saving changes of
the United States (2026-03-08) and of Europe (2026-03-29). Each profile's story is drawn from a random generator
of its own (seeded with SEED and its id), so that changing what one profile does never changes another's. The
files are committed: no test runs this script.

- profiles.jsonl: one profile update a profile, at 2026-03-01T00:00:00Z, with its `timeZone` (drawn with the weights
  of ZONES: about 14% of the profiles have none and 2% a zone id that does not exist: both fall back to UTC).
- newsletter.issued {issue, daysInactive}: every Tuesday at 09:30:17Z and Friday at 16:45:23Z, and two Sunday
  specials in the night of a daylight-saving change (2026-03-08T06:30:17Z, 01:30 in New York before the change;
  2026-03-29T00:30:17Z, 01:30 in Paris before the change), to the 80% of profiles who subscribe; a quarter of
  them have been inactive for 30 days or more (daysInactive >= 30: the win-back journey takes them too).
- price.dropped {productId, price}: watchers (60%) see about 4 price drops over the month, heavy watchers (a
  tenth of them) about 16, at any second of the day (so some land in the night of their zone).
- order.placed {orderId, productId}: after 35% of the price drops, an order of that product a few minutes to 14
  hours later (after 12 hours: too late for the receipt); 5% of the price drops are followed by an order of
  another product (no receipt either).

Every event of a profile is at its own second (never at :00, so never at the instant a timer of the engine fires:
those are at whole minutes of local time, or a whole number of hours after an event), which keeps the order of
what happens to a profile unambiguous.
"""
import json
import os
import random
from datetime import datetime, timedelta, timezone

SEED = 20260302
PROFILES = 300
START = datetime(2026, 3, 2, 0, 0, 0, tzinfo=timezone.utc)
END = datetime(2026, 4, 3, 0, 0, 0, tzinfo=timezone.utc)
ZONES = [("Europe/Paris", 25), ("America/New_York", 20), ("America/Los_Angeles", 10), ("Europe/London", 8),
         ("Asia/Tokyo", 11), ("Australia/Sydney", 10), (None, 14), ("Mars/Olympus_Mons", 2)]
ISSUES = [datetime(2026, 3, 3, 9, 30, 17), datetime(2026, 3, 6, 16, 45, 23), datetime(2026, 3, 8, 6, 30, 17),
          datetime(2026, 3, 10, 9, 30, 17), datetime(2026, 3, 13, 16, 45, 23), datetime(2026, 3, 17, 9, 30, 17),
          datetime(2026, 3, 20, 16, 45, 23), datetime(2026, 3, 24, 9, 30, 17), datetime(2026, 3, 27, 16, 45, 23),
          datetime(2026, 3, 29, 0, 30, 17), datetime(2026, 3, 31, 9, 30, 17)]
PRODUCTS = 20


def iso(instant):
    return instant.strftime("%Y-%m-%dT%H:%M:%SZ")


def zone_of(rng):
    pick, upper = rng.uniform(0, sum(w for _, w in ZONES)), 0
    for zone, weight in ZONES:
        upper += weight
        if pick < upper:
            return zone
    return ZONES[-1][0]


def random_instant(rng):
    """Any instant of the period, at a second other than :00."""
    seconds = rng.randrange(int((END - START).total_seconds()) // 60) * 60 + rng.randint(1, 59)
    return START + timedelta(seconds=seconds)


def poisson(rng, mean):
    count, total = 0, rng.expovariate(1)
    while total < mean:
        count += 1
        total += rng.expovariate(1)
    return count


def main():
    profiles, events = [], []
    for n in range(1, PROFILES + 1):
        profile_id = f"p-{n:03d}"
        rng = random.Random(f"{SEED}/{profile_id}")
        zone = zone_of(rng)
        subscribed, lapsed = rng.random() < 0.8, rng.random() < 0.25
        watcher, heavy = rng.random() < 0.6, rng.random() < 0.1
        inactive = rng.randint(30, 90) if lapsed else rng.randint(0, 20)
        attributes = {"firstName": f"Profile {n}"}
        if zone is not None:
            attributes["timeZone"] = zone
        profiles.append({"profileId": profile_id, "timestamp": "2026-03-01T00:00:00Z", "attributes": attributes})
        taken = set()
        mine = []

        def event(kind, at, data):
            # one event a second at most, never at the same instant as a timer twelve hours after another event
            while at in taken or any(abs((at - t).total_seconds()) in (12 * 3600,) for t in taken):
                at += timedelta(seconds=1 if at.second < 59 else -58)
            taken.add(at)
            mine.append((at, profile_id, kind, data))

        if subscribed:
            for issue in ISSUES:
                at = issue.replace(tzinfo=timezone.utc)
                days = inactive + (at - START).days if lapsed else rng.randint(0, 20)
                event("newsletter.issued", at, {"issue": at.strftime("%Y-%m-%d"), "daysInactive": days})
        drops = poisson(rng, 16 if heavy else 4) if watcher else 0
        for d in range(drops):
            at = random_instant(rng)
            product = f"sku-{rng.randint(1, PRODUCTS):02d}"
            price = round(rng.uniform(9, 400), 2)
            event("price.dropped", at, {"productId": product, "price": price})
            buy, other = rng.random(), rng.random()
            after = timedelta(seconds=rng.randint(5 * 60, 14 * 3600))
            if buy < 0.35 and at + after < END:
                event("order.placed", at + after, {"orderId": f"o-{n:03d}-{d + 1:02d}", "productId": product})
            elif other < 0.05 and at + after < END:
                event("order.placed", at + after,
                      {"orderId": f"o-{n:03d}-{d + 1:02d}x", "productId": f"sku-{rng.randint(21, 30):02d}"})
        events.extend(mine)

    events.sort(key=lambda e: (e[0], e[1]))
    folder = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(folder, "events.jsonl"), "w", encoding="utf-8") as out:
        for i, (at, profile_id, kind, data) in enumerate(events, start=1):
            out.write(json.dumps({"eventId": f"rules-{i:05d}", "profileId": profile_id, "type": kind,
                                  "timestamp": iso(at), "data": data}, ensure_ascii=False) + "\n")
    with open(os.path.join(folder, "profiles.jsonl"), "w", encoding="utf-8") as out:
        for profile in profiles:
            out.write(json.dumps(profile, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
