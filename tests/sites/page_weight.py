"""Measure a page as a phone would load it: the HTML and every asset it references, bytes on the wire (P1)."""
from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field

ASSET_RE = re.compile(r'<(?:link[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"')
VENDOR_PREFIX = "/static/vendor/"


@dataclass
class PageWeight:
    html: int
    css: int = 0
    own_js: int = 0
    vendor_js: int = 0
    requests: int = 1
    assets: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.html + self.css + self.own_js + self.vendor_js


WIRE = {"Accept-Encoding": "gzip"}


def wire_bytes(resp) -> int:
    """The body as sent: the app compresses (gzip here) whatever is worth it; small bodies go plain."""
    return len(resp.get_data())


def measure(client, url: str) -> PageWeight:
    """Fetch `url` and each same-origin asset it links, accepting gzip; sizes are bytes on the wire."""
    resp = client.get(url, headers=WIRE)
    assert resp.status_code == 200, url
    html = gzip.decompress(resp.get_data()) if resp.content_encoding == "gzip" else resp.get_data()
    weight = PageWeight(html=wire_bytes(resp))
    for ref in ASSET_RE.findall(html.decode()):
        if not ref.startswith("/"):
            continue
        path = ref.split("?", 1)[0]
        with client.get(ref, headers=WIRE) as asset:
            assert asset.status_code == 200, ref
            size = wire_bytes(asset)
        weight.requests += 1
        weight.assets.append(path)
        if path.endswith(".css"):
            weight.css += size
        elif path.startswith(VENDOR_PREFIX):
            weight.vendor_js += size
        elif path.endswith(".js"):
            weight.own_js += size
    return weight
