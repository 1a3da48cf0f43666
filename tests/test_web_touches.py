"""What a reader sees at the edges of the search page: a reversed date range is swapped
(never a 400 page), zero results show no sort bar, the search box border stands out (>= 3:1)
in light and dark mode, and the notices have dark-mode colours."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from web.params import BadParameter, parse_search_args

CSS = (Path(__file__).resolve().parents[1] / "web" / "static" / "fahras.css").read_text(
    encoding="utf-8")


def test_a_reversed_date_range_is_swapped_on_the_page(web_client):
    response = web_client.get("/?q=الحكومة&from=2020-05-01&to=2017-01-01")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "فبُدِّل بينهما" in html
    assert 'name="from" value="2017-01-01"' in html and 'name="to" value="2020-05-01"' in html
    straight = web_client.get("/?q=الحكومة&from=2017-01-01&to=2020-05-01")
    assert "فبُدِّل بينهما" not in straight.get_data(as_text=True)


def test_the_api_still_refuses_a_reversed_range():
    with pytest.raises(BadParameter):
        parse_search_args({"from": "2020-05-01", "to": "2017-01-01"})
    swapped = parse_search_args({"from": "2020-05-01", "to": "2017-01-01"}, swap_dates=True)
    assert (swapped.date_from.year, swapped.date_to.year, swapped.dates_swapped) == \
        (2017, 2020, True)


def test_zero_results_show_no_sort_bar(web_client):
    empty = web_client.get("/?q=زرافةمجهولة").get_data(as_text=True)
    assert "لا توجد نتائج عن" in empty and 'class="sort"' not in empty
    found = web_client.get("/?q=الحكومة").get_data(as_text=True)
    assert 'class="sort"' in found


def _luminance(colour: str) -> float:
    channels = [int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _variables(block: str) -> dict[str, str]:
    return dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", block))


def test_the_search_box_border_has_3_to_1_contrast_in_both_modes():
    light = _variables(CSS.split("@media (prefers-color-scheme: dark)")[0])
    dark = {**light, **_variables(CSS.split("@media (prefers-color-scheme: dark)")[1]
                                  .split("\n}\n")[0])}
    box = re.search(r"\.combo input \{(.+?)\}", CSS, re.S).group(1)
    assert "border: 1px solid var(--field-line)" in box
    for colours in (light, dark):
        for background in ("paper", "wash"):
            assert contrast(colours["field-line"], colours[background]) >= 3.0, background
        assert contrast(colours["notice-ink"], colours["notice"]) >= 4.5
    assert light["notice"] != dark["notice"]  # the notice follows dark mode
    notice = re.search(r"\.notice \{(.+?)\}", CSS, re.S).group(1)
    assert "var(--notice)" in notice and "#" not in notice
