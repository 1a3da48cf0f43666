"""The keyboard that weighs typing slips for "did you mean" (search/suggest/keyboard.py)."""

from __future__ import annotations

from search.suggest.keyboard import NEIGHBOUR_COST, TypoCost, adjacent_keys


def test_neighbouring_keys_of_the_arabic_keyboard():
    near = adjacent_keys()
    assert "ي" in near["ب"] and "ب" in near["ي"]  # d and f
    assert "ش" in near["ض"] and "ط" in near["ك"]
    assert "م" not in near["ب"]
    cost = TypoCost()
    assert cost("الرءاسبه", "الرءاسيه") == NEIGHBOUR_COST
    assert cost("الرءاسبه", "الرءاسه") == 1.0
    assert cost("النفت", "النفط") == 1.0 and cost("النفط", "النفط") == 0.0
