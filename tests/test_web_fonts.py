"""The Arabic web font (web/fonts.py): served by the app as WOFF2, named by the stylesheet,
with its licence, and loaded by a real page instead of a system font."""

from __future__ import annotations

from fontTools.ttLib import TTFont


def test_the_font_is_woff2_cached_and_open(web_client):
    response = web_client.get("/fonts/noto-sans-arabic.woff2")
    assert response.status_code == 200 and response.mimetype == "font/woff2"
    data = response.get_data()
    assert data[:4] == b"wOF2" and 100_000 < len(data) < 600_000
    assert "max-age" in response.headers["Cache-Control"]
    again = web_client.get("/fonts/noto-sans-arabic.woff2",
                           headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304


def test_the_font_covers_arabic(web_client, tmp_path):
    path = tmp_path / "font.woff2"
    path.write_bytes(web_client.get("/fonts/noto-sans-arabic.woff2").get_data())
    cmap = TTFont(path).getBestCmap()
    assert all(ord(char) in cmap for char in "فهرسالأخبارةىئؤ")
    assert "Noto Sans Arabic" in TTFont(path)["name"].getDebugName(1)


def test_the_licence_travels_with_it(web_client):
    text = web_client.get("/fonts/OFL.txt").get_data(as_text=True)
    assert "SIL Open Font License" in text


def test_the_stylesheet_uses_it(web_client):
    css = web_client.get("/static/fahras.css").get_data(as_text=True)
    assert 'url("../fonts/noto-sans-arabic.woff2") format("woff2")' in css
    assert '--font: "Fahras Noto Sans Arabic"' in css
