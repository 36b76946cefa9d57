"""The JSON columns' codec (orjson) answers as the standard module did."""

from __future__ import annotations

import json
import math

from hypothesis import given
from hypothesis import strategies as st

from domain.ledger import jsoncodec

_scalars = st.none() | st.booleans() | st.integers() | st.text() | st.floats(
    allow_nan=False, allow_infinity=False)
_values = st.recursive(_scalars, lambda inner: st.lists(inner, max_size=5) | st.dictionaries(
    st.text(max_size=8), inner, max_size=5), max_leaves=30)


@given(_values)
def test_read_back_as_the_standard_module_reads_its_own(value: object) -> None:
    assert jsoncodec.loads(jsoncodec.dumps(value)) == json.loads(json.dumps(value))


@given(_values)
def test_reads_what_the_standard_module_wrote(value: object) -> None:
    # rows written before the codec changed
    assert jsoncodec.loads(json.dumps(value)) == json.loads(json.dumps(value))


def test_what_orjson_refuses_is_still_stored() -> None:
    huge = {"amount": 10**30, 3: "int key", "text": "é ✓ 🙂 \u202e"}
    assert jsoncodec.loads(jsoncodec.dumps(huge)) == {"amount": 10**30, "3": "int key",
                                                      "text": "é ✓ 🙂 \u202e"}
    assert math.isnan(jsoncodec.loads('{"x": NaN}')["x"])
    assert jsoncodec.loads(b'[1, 2]') == [1, 2]
    lone = {"text": "\ud800 half an emoji"}  # a lone surrogate: orjson refuses it
    assert jsoncodec.loads(jsoncodec.dumps(lone)) == lone
    assert jsoncodec.loads(json.dumps(lone, ensure_ascii=False)) == lone
    assert jsoncodec.loads('{"n": 123456789012345678901234567890}')["n"] == 10**29 + \
        23456789012345678901234567890


def test_what_is_not_json_is_refused_as_before() -> None:
    for bad in ({1, 2}, object()):
        try:
            jsoncodec.dumps(bad)
        except TypeError:
            continue
        raise AssertionError(f"{bad!r} was stored")
