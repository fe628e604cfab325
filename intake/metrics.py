"""In-process counters for what leaves no row to count (e.g. a message sent by SMTP).

The jobs that send mail increment these; /metrics adds them to the counts read from the database.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter

REGISTRY = CollectorRegistry(auto_describe=True)

ACKNOWLEDGEMENTS_SENT = Counter("uwagi_acknowledgements_sent", "Acknowledgements sent by this process.",
                                registry=REGISTRY)
DIGESTS_SENT = Counter("uwagi_digests_sent", "Digests sent by this process.", registry=REGISTRY)
