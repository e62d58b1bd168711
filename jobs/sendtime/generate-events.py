#!/usr/bin/env python3
"""Writes jobs/sendtime/profiles.jsonl and events.jsonl: twelve weeks of opens, then a campaign (seeded, reproducible).

    python3 jobs/sendtime/generate-events.py

240 profiles in four zones (Europe/Paris, America/New_York, Asia/Tokyo, and none: UTC). Their ids say what
they are, so that a test can check the send instants without the engine:

- w-NNN ("warm", 160): a habit of their own, the local hour of the week in their `habit` attribute (e.g. "Tue 19"),
  where they open 80% of their emails; the rest at random hours. 6 to 14 opens over the twelve weeks before the
  campaign, each at a random minute of its hour.
- c-NNN ("cold", 80): no history at all: they follow what everyone does.
- Everyone who has a history opens pushes at 20:xx local on the day of their email habit (the population's push
  hour is 20:00 of the most common habit day).

The campaign starts for everyone on Monday 2026-03-02 at 06:00:17Z (campaign.started); three profiles unsubscribe
before their email goes (unsubscribed, 07:00:17Z). Events are at odd seconds, never at the top of an hour when the
engine sends.
"""
import json
import os
import random
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

SEED = 18
HERE = os.path.dirname(os.path.abspath(__file__))
ZONES = ["Europe/Paris", "America/New_York", "Asia/Tokyo", None]
DAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
# habits: mostly weekday evenings and lunch, some weekend mornings
HABITS = [(1, 19), (1, 19), (2, 12), (3, 20), (0, 8), (5, 10), (1, 19), (3, 20)]
HISTORY_START = datetime(2025, 12, 8, tzinfo=timezone.utc)  # a Monday, twelve weeks before the campaign
CAMPAIGN = datetime(2026, 3, 2, 6, 0, 17, tzinfo=timezone.utc)


def iso(at):
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def local_instant(week_monday_utc, zone, day, hour, minute, second):
    """The instant of a local day/hour/minute of the week that starts on the Monday of week_monday_utc, in zone."""
    tz = ZoneInfo(zone) if zone else timezone.utc
    monday = week_monday_utc.date()  # the Monday's date, read as a local date in every zone
    local = datetime(monday.year, monday.month, monday.day, hour, minute, second, tzinfo=tz) + timedelta(days=day)
    return local.astimezone(timezone.utc)


def main():
    profiles, events = [], []
    ids = [f"w-{i:03d}" for i in range(1, 161)] + [f"c-{i:03d}" for i in range(1, 81)]
    for n, profile in enumerate(ids):
        rng = random.Random(f"{SEED}:{profile}")
        zone = ZONES[n % len(ZONES)]
        attributes = {}
        if zone:
            attributes["timeZone"] = zone
        warm = profile.startswith("w-")
        if warm:
            day, hour = HABITS[rng.randrange(len(HABITS))]
            attributes["habit"] = f"{DAYS[day]} {hour}"
        profiles.append({"profileId": profile, "timestamp": "2025-12-01T00:00:00Z", "attributes": attributes})
        if not warm:
            continue
        opens = rng.randint(6, 14)
        for k in range(opens):
            week = HISTORY_START + timedelta(days=7 * rng.randrange(12))
            if rng.random() < 0.8:
                d, h = day, hour
            else:
                d, h = rng.randrange(7), rng.randrange(24)
            at = local_instant(week, zone, d, h, rng.randrange(60), 1 + 2 * rng.randrange(29))
            events.append({"eventId": f"{profile}-open-{k}", "profileId": profile, "type": "email.opened",
                           "timestamp": iso(at), "data": {}})
            push = local_instant(week, zone, day, 20, rng.randrange(60), 1 + 2 * rng.randrange(29))
            events.append({"eventId": f"{profile}-push-{k}", "profileId": profile, "type": "push.opened",
                           "timestamp": iso(push), "data": {}})
    for profile in ids:
        events.append({"eventId": f"{profile}-campaign", "profileId": profile, "type": "campaign.started",
                       "timestamp": iso(CAMPAIGN), "data": {"campaign": "spring"}})
    for profile in ["w-007", "c-011", "w-120"]:
        events.append({"eventId": f"{profile}-unsubscribed", "profileId": profile, "type": "unsubscribed",
                       "timestamp": iso(CAMPAIGN + timedelta(hours=1)), "data": {}})
    events.sort(key=lambda e: (e["timestamp"], e["eventId"]))
    with open(os.path.join(HERE, "profiles.jsonl"), "w") as out:
        for line in profiles:
            out.write(json.dumps(line) + "\n")
    with open(os.path.join(HERE, "events.jsonl"), "w") as out:
        for line in events:
            out.write(json.dumps(line) + "\n")


if __name__ == "__main__":
    main()
