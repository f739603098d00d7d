"""parse_state: every form people paste gives the same state; bad input gets a sentence."""

from __future__ import annotations

import json
import urllib.parse

import neuroglancer
import pytest

from jupyterlab_neuroglancer.state import StateParseError, parse_state

STATE = {
    "dimensions": {"x": [8e-9, "m"], "y": [8e-9, "m"], "z": [8e-9, "m"]},
    "position": [80.5, 80.5, 80.5],
    "crossSectionScale": 0.5,
    "layers": [
        {
            "type": "image",
            "source": "precomputed://gs://bucket/em 100%",
            "name": "em",
        },
        {"type": "segmentation", "source": "zarr://https://host/seg.zarr", "name": "seg"},
    ],
    "layout": "4panel",
}
COMPACT = json.dumps(STATE, separators=(",", ":"))
# Percent-encoded the way neuroglancer encodes its own URLs, and fully (quotes, braces...).
NEUROGLANCER_URL = neuroglancer.to_url(neuroglancer.ViewerState(STATE), "https://any.host/x")
ENCODED = urllib.parse.quote(COMPACT, safe="")

ACCEPTED = {
    "dict": STATE,
    "bare JSON": COMPACT,
    "bare JSON, indented": "\n  " + json.dumps(STATE, indent=2) + "\n",
    "URL, plain": f"https://neuroglancer-demo.appspot.com/#!{COMPACT}",
    "URL, percent-encoded": f"https://example.org/viewer/?a=1#!{ENCODED}",
    "URL, as neuroglancer writes it": NEUROGLANCER_URL,
    "URL, quotes encoded as a browser copies them": "http://localhost:8080/#!"
    + COMPACT.replace('"', "%22").replace(" ", "%20"),
    "fragment only": f"#!{COMPACT}",
    "fragment only, percent-encoded": f"#!{ENCODED}",
    "fragment with spaces around": f"  #!{ENCODED}  \n",
    "bytes": f"#!{COMPACT}".encode(),
}


@pytest.mark.parametrize("value", ACCEPTED.values(), ids=ACCEPTED.keys())
def test_accepted_forms_give_the_same_state(value):
    result = parse_state(value)
    assert result == STATE
    assert isinstance(result, dict)
    assert neuroglancer.ViewerState(result).layers["em"].type == "image"


def test_a_dict_is_copied_not_shared():
    original = {"layout": "xy", "layers": []}
    result = parse_state(original)
    result["layers"].append({"name": "x"})
    assert original == {"layout": "xy", "layers": []}


def test_json_with_percent_signs_is_read_as_is():
    state = {"layers": [{"type": "image", "source": "precomputed://https://h/a%20b", "name": "a"}]}
    assert parse_state("#!" + json.dumps(state)) == state


def test_older_url_safe_form_is_read():
    url = "https://neuroglancer-demo.appspot.com/#!{'layout':'xy'_'position':[1_2_3]}"
    assert parse_state(url) == {"layout": "xy", "position": [1, 2, 3]}


REJECTED = {
    "empty": ("", "empty"),
    "whitespace": ("   \n ", "empty"),
    "URL without #!": ("https://neuroglancer-demo.appspot.com/", "no Neuroglancer state"),
    "viewer URL without state": ("http://127.0.0.1:8888/v/abc/", "no Neuroglancer state"),
    "nothing after #!": ("https://host/#!", "no state follows"),
    "plain words": ("hello there", "neither a Neuroglancer URL nor a JSON state"),
    "remote state, gs": ("https://host/#!gs://bucket/state.json", "not fetched"),
    "remote state, https": ("https://host/#!https://example.org/s.json", "not fetched"),
    "remote state, encoded": ("#!https%3A%2F%2Fexample.org%2Fs.json", "not fetched"),
    "remote state, json_url": ("https://host/?json_url=https://x/s.json", "not fetched"),
    "invalid JSON": ('{"layout": "xy",, }', "line 1, column 17"),
    "invalid JSON in URL": ('https://h/#!{"layout":"xy"', "not valid JSON"),
    "truncated JSON on line 2": ('{\n  "layout": ', "line 2"),
    "a list": ("[1, 2]", "this is a list"),
    "a list in a URL": ("#![1,2]", "this is a list"),
    "a string in a URL": ('#!"xy"', "this is a string"),
    "a number in a URL": ("#!42", "this is a number"),
}


@pytest.mark.parametrize(("value", "expected"), REJECTED.values(), ids=REJECTED.keys())
def test_rejected_forms_say_what_is_wrong(value, expected):
    with pytest.raises(StateParseError) as caught:
        parse_state(value)
    message = str(caught.value)
    assert expected in message
    assert message[0].isupper() and message.rstrip().endswith(".")


def test_error_is_a_value_error():
    assert issubclass(StateParseError, ValueError)


def test_dict_that_is_not_json():
    with pytest.raises(StateParseError, match="cannot be written as JSON"):
        parse_state({"layout": object()})


def test_wrong_type():
    with pytest.raises(StateParseError, match="text or a dict"):
        parse_state(42)  # type: ignore[arg-type]
