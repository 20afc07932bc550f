"""One way to write figures on the pages: Babel's symbols of the page's language."""

from __future__ import annotations

from mitradesa.web.template_helpers import d4, fixed


def test_a_four_decimal_figure_is_written_the_indonesian_way_on_indonesian_pages():
    assert d4(0.81024) == "0,8102" and d4(0.81024, "en") == "0.8102"
    assert d4("0.8156") == "0,8156"  # the ministry's SKOR_MINIMAL, stored as text
    assert d4(-0.0076) == "-0,0076" and d4(None) == "—" and d4("—") == "—"
    assert d4(1234.5) == "1.234,5000"


def test_fixed_decimals_keep_their_sign_when_asked():
    assert fixed(0.5, 2) == "0,50" and fixed(0.0123, 4, True) == "+0,0123"
    assert fixed(-0.0123, 4, True, "en") == "-0.0123" and fixed(None) == "—"
