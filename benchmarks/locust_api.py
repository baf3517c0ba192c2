"""The load api_load.py puts on the API, as a locustfile (run headless by api_load.py).

QUIPU_BENCH_API_PLAN is a JSON file: [{"token": ..., "cases": [ids], "persons": [ids]}, ...],
one entry per API user; QUIPU_BENCH_SCENARIO is "list", "detail" or "anchor" (the static
stylesheet at QUIPU_BENCH_ANCHOR, no API at all). Each simulated client is one API user, and
sends its next request as soon as the last one is answered (a closed loop).
"""

import itertools
import json
import os
import random

from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser

SCENARIO = os.environ.get("QUIPU_BENCH_SCENARIO", "list")
PLAN = json.loads(open(os.environ["QUIPU_BENCH_API_PLAN"]).read())  # noqa: SIM115
ANCHOR = os.environ.get("QUIPU_BENCH_ANCHOR", "/")
_next = itertools.count()


class ApiClient(FastHttpUser):
    wait_time = constant(0)

    def on_start(self) -> None:
        self.account = PLAN[next(_next) % len(PLAN)]
        self.headers = {"Authorization": f"Token {self.account['token']}"}
        self.chooser = random.Random(self.account["token"])  # noqa: S311 - a mix, not a secret

    @task
    def read(self) -> None:
        if SCENARIO == "anchor":
            self.client.get(ANCHOR, name="anchor")
        elif SCENARIO == "list":
            kind = self.chooser.choice(("cases", "persons"))
            self.client.get(f"/api/v1/{kind}/", headers=self.headers, name=f"{kind} list")
        else:
            kind = self.chooser.choice(("cases", "persons"))
            record = self.chooser.choice(self.account[kind])
            url = f"/api/v1/{kind}/{record}/"
            self.client.get(url, headers=self.headers, name=f"{kind} detail")
