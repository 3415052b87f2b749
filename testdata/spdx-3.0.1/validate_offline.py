"""Runs spdx3-validate with no network: the SPDX 3.0.1 JSON schema, JSON-LD context and SHACL
model it downloads on every run are answered from the copies beside this file, and every other
URL is refused (tests/bom.rs runs it on the SPDX documents `openseal bom` writes).

Usage: python validate_offline.py FILE...   (exit status 0 when every file validates)
"""

import io
import sys
import urllib.error
import urllib.request
from email.message import Message
from pathlib import Path
from urllib.response import addinfourl

HERE = Path(__file__).resolve().parent

# URL -> (local copy, content type); the URLs are spdx3_validate.spdx_versions' 3.0.1 entry.
LOCAL = {
    "https://spdx.org/schema/3.0.1/spdx-json-schema.json": ("schema.json", "application/json"),
    "https://spdx.org/rdf/3.0.1/spdx-context.jsonld": ("spdx-context.jsonld", "application/ld+json"),
    "https://spdx.org/rdf/3.0.1/spdx-model.ttl": ("spdx-model.ttl", "text/turtle"),
}


class OfflineHandler(urllib.request.BaseHandler):
    """Answers the three SPDX URLs from local files and refuses every other one."""

    def _answer(self, req):
        url = req.full_url
        if url not in LOCAL:
            raise urllib.error.URLError(f"offline: refusing to fetch {url}")
        name, content_type = LOCAL[url]
        data = (HERE / name).read_bytes()
        headers = Message()
        headers["Content-Type"] = content_type
        headers["Content-Length"] = str(len(data))
        response = addinfourl(io.BytesIO(data), headers, url, 200)
        response.msg = "OK"
        return response

    http_open = _answer
    https_open = _answer
    ftp_open = _answer


def main(files):
    # Only this handler: no HTTP(S) handler is left that could reach the network.
    opener = urllib.request.OpenerDirector()
    opener.add_handler(OfflineHandler())
    opener.add_handler(urllib.request.UnknownHandler())
    opener.add_handler(urllib.request.HTTPErrorProcessor())
    urllib.request.install_opener(opener)

    from spdx3_validate.main import main as validate

    args = ["--quiet", "--spdx-version", "3.0.1", "--no-merge"]
    for f in files:
        args += ["--json", f]
    return validate(args)


if __name__ == "__main__":
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1:]))
