"""Measure a page as a phone would load it: the HTML and every asset it references, gzipped (P1)."""
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


def gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def measure(client, url: str) -> PageWeight:
    """Fetch `url` and each same-origin asset it links; sizes are gzip bytes."""
    resp = client.get(url)
    assert resp.status_code == 200, url
    html = resp.get_data()
    weight = PageWeight(html=gz(html))
    for ref in ASSET_RE.findall(html.decode()):
        if not ref.startswith("/"):
            continue
        path = ref.split("?", 1)[0]
        with client.get(ref) as asset:
            assert asset.status_code == 200, ref
            body = asset.get_data()
        weight.requests += 1
        weight.assets.append(path)
        if path.endswith(".css"):
            weight.css += gz(body)
        elif path.startswith(VENDOR_PREFIX):
            weight.vendor_js += gz(body)
        elif path.endswith(".js"):
            weight.own_js += gz(body)
    return weight
