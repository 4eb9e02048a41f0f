"""protocol.parts.data_part builds the Part that a2a.helpers.new_data_part builds."""

from __future__ import annotations

from typing import Any

import pytest
from a2a.helpers import new_data_part

from protocol.parts import data_part

SAMPLES: list[Any] = [
    {},
    {"skill": "get_order_details", "arguments": {"order_id": "#W2378156"}},
    {
        "delegations": [{"ok": True, "amount": 1093.34, "count": 3, "error": None}],
        "nested": {"list": [1, "two", [3.5, False], {"deep": None}], "empty": [], "obj": {}},
        "unicode": "Größe ✓",
        "big": 2**53,
        "negative": -0.0,
    },
    ["a", 1, None],
    "text",
    12,
    None,
]


@pytest.mark.parametrize("data", SAMPLES)
def test_same_part_as_the_sdk_helper(data: Any) -> None:
    assert data_part(data, "application/json") == new_data_part(data, media_type="application/json")
    assert data_part(data) == new_data_part(data)
