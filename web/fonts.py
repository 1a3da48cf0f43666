"""The Arabic web font: Noto Sans Arabic (SIL Open Font License 1.1) served by the app.

Sits beside the static files (web/static/fahras.css names it in ``@font-face``): the font
comes from the ``fontpkg-noto-sans-arabic`` package, a dependency installed with Fahras, so
every reader sees the same letters whatever their system has, and nothing is loaded from
another site. The package ships the variable TrueType file; :class:`WebFont` turns it into
WOFF2 with fontTools (once per app, on the first request for it: about 3 s, 360 KB instead
of 845 KB) and keeps that one file in memory. ``/fonts/OFL.txt`` serves the licence that
must travel with the font.
"""

from __future__ import annotations

import hashlib
import io
import json
import threading
from pathlib import Path

from flask import Blueprint, Flask, Response, current_app, request

__all__ = ["bp", "WebFont", "init_app", "FONT_FILE"]

bp = Blueprint("fonts", __name__)
FONT_FILE = "noto-sans-arabic.woff2"
_KEY = "fahras.font"
_MAX_AGE = 7 * 24 * 3600


def _package_root() -> Path:
    import fontpkg_noto_sans_arabic

    return fontpkg_noto_sans_arabic.ROOT


class WebFont:
    """The WOFF2 of the packaged font, made once and kept (one file, so bounded)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock = threading.Lock()
        self._woff2: bytes | None = None
        self._etag = ""

    def source(self) -> Path:
        """The packaged TrueType file, named by the package's own metadata."""
        meta = json.loads((self.root / "metadata.json").read_text(encoding="utf-8"))
        normal = [f for f in meta["files"] if f.get("style") == "normal"]
        return self.root / normal[0]["path"]

    def licence(self) -> str:
        return (self.root / "LICENSE").read_text(encoding="utf-8")

    def woff2(self) -> tuple[bytes, str]:
        """``(the WOFF2 bytes, their ETag)``."""
        with self._lock:
            if self._woff2 is None:
                from fontTools.ttLib import TTFont

                font = TTFont(self.source())
                font.flavor = "woff2"
                buffer = io.BytesIO()
                font.save(buffer)
                self._woff2 = buffer.getvalue()
                self._etag = hashlib.sha256(self._woff2).hexdigest()[:32]
            return self._woff2, self._etag


def _font() -> WebFont:
    return current_app.extensions[_KEY]


@bp.get(f"/fonts/{FONT_FILE}")
def font():
    data, etag = _font().woff2()
    response = Response(data, mimetype="font/woff2")
    response.set_etag(etag)
    response.cache_control.public = True
    response.cache_control.max_age = _MAX_AGE
    return response.make_conditional(request)


@bp.get("/fonts/OFL.txt")
def licence():
    return Response(_font().licence(), mimetype="text/plain; charset=utf-8")


def init_app(app: Flask) -> None:
    app.extensions[_KEY] = WebFont(_package_root())
    app.register_blueprint(bp)
