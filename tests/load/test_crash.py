"""kill -9 under load: every acknowledged write survives and the audit chain still verifies.

The probe's six kill -9 runs held; this keeps them held. One round here (a few seconds of load,
then SIGKILL mid-flight, then a restart on the same database); ``make soak`` runs more and
longer rounds (RAREX_SOAK_ROUNDS, RAREX_SOAK_SECONDS).
"""

from __future__ import annotations

import os
import threading

from bench.load import Crowd, Tally, check_writes
from bench.server import Server

from rarex.policy.service import get_pack

ROUNDS = int(os.environ.get("RAREX_SOAK_ROUNDS", "1"))
SECONDS = float(os.environ.get("RAREX_SOAK_SECONDS", "2.5"))


def test_kill_9_under_load_loses_no_acknowledged_write(db, world):
    tally = Tally()
    for round_no in range(ROUNDS):
        with Server(env=dict(os.environ)) as server:
            crowd = Crowd(server.port, world, clients=30, tally=tally, seed=round_no + 1)
            load = threading.Thread(target=crowd.run, args=(SECONDS + 30,))
            load.start()
            crowd.stop.wait(SECONDS)
            server.kill()  # in mid-flight: requests are being served and committed
            crowd.stop.set()
            load.join(timeout=120)
            assert tally.server_errors() == 0, (tally.statuses, server.log_tail())
    checked = check_writes(tally)
    assert checked["acknowledged_shipments"] > 0, checked
    assert checked["lost_shipments"] == checked["lost_drafts"] == 0, checked
    assert checked["lines_over_cap"] == checked["lines_drawn_not_matching_shipments"] == 0, checked
    assert checked["audit_ok"], checked

    # And the database is usable again: a restarted server records the next shipment.
    with Server(env=dict(os.environ)) as server:
        import http.client
        import json

        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        body = {"declaration": "AFTER-CRASH-1", "date": get_pack().today().isoformat(), "port": "CNTSN",
                "lines": [{"item": "1C905.b", "end_user": str(world.end_user), "quantity": "1", "unit": "kg"}]}
        conn.request("POST", f"/api/v1/licences/{world.numbers[0]}/shipments", body=json.dumps(body),
                     headers={"Authorization": f"Bearer {world.customs}", "Content-Type": "application/json"})
        assert conn.getresponse().status == 201
