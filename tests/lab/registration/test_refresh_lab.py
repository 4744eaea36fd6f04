"""fetch_bootstrap against the loopback RDAP server."""

from __future__ import annotations

import pytest
import requests

from tests.lab.registration.lab import Lab
from tests.lab.registration.servers import Reply, bootstrap_json
from vendorrisk.errors import NetworkError
from vendorrisk.probes.registration.bootstrap import fetch_bootstrap

pytestmark = pytest.mark.lab


def test_fetch_valid_bootstrap(lab: Lab) -> None:
    body = bootstrap_json([(["com"], "https://rdap.example/")])
    lab.rdap.replies["/dns.json"] = Reply(body=body)
    assert fetch_bootstrap(lab.rdap.base + "dns.json", requests.Session()) == body


@pytest.mark.parametrize(("path", "reply", "text"), [
    ("/bad.json", Reply(body=b"<html>"), "not a usable RDAP bootstrap"),
    ("/empty.json", Reply(body=b'{"services": []}'), "lists no services"),
    ("/gone.json", Reply(status=500), "HTTP 500"),
])
def test_fetch_rejects_bad_bootstrap(lab: Lab, path: str, reply: Reply, text: str) -> None:
    lab.rdap.replies[path] = reply
    with pytest.raises(NetworkError, match=text):
        fetch_bootstrap(lab.rdap.base + path.lstrip("/"), requests.Session())
