"""Solo mode has no sign-in, so by default the server answers this computer only: the project's
config binds Streamlit to loopback, and a started server listens on no other address."""

from __future__ import annotations

import ipaddress
import tomllib
from pathlib import Path

from tests.e2e.conftest import ROOT, streamlit_server

CONFIG = ROOT / ".streamlit" / "config.toml"


def _listening(port: int) -> set[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Local addresses with a socket listening on `port`, read from the kernel's tables."""
    found = set()
    for table, width in (("/proc/net/tcp", 4), ("/proc/net/tcp6", 16)):
        path = Path(table)
        if not path.exists():
            continue
        for line in path.read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            host, hex_port = local.split(":")
            if state != "0A" or int(hex_port, 16) != port:  # 0A = LISTEN
                continue
            raw = bytes.fromhex(host)
            # The kernel prints each 32-bit word in host (little-endian) order.
            raw = b"".join(raw[i:i + 4][::-1] for i in range(0, width, 4))
            found.add(ipaddress.ip_address(raw))
    return found


def test_config_binds_to_loopback_and_sends_no_statistics() -> None:
    config = tomllib.loads(CONFIG.read_text(encoding="utf-8"))
    assert config["server"]["address"] in ("localhost", "127.0.0.1", "::1")
    assert config["browser"]["gatherUsageStats"] is False


def test_a_started_server_listens_on_loopback_only(tmp_path: Path) -> None:
    with streamlit_server(tmp_path / "plans.sqlite3", address=None) as url:
        port = int(url.rsplit(":", 1)[1])
        addresses = _listening(port)
    assert addresses, "the server's listening socket was not found"
    assert all(a.is_loopback for a in addresses), addresses
