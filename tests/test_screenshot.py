"""screenshot(viewer): a clear TimeoutError with no browser, a clean viewer afterwards, the
request/reply protocol, and a real screenshot taken by headless Chromium."""

from __future__ import annotations

import base64
import io
import os
import signal
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import neuroglancer
import numpy as np
import pytest
from PIL import Image

import jupyterlab_neuroglancer
from jupyterlab_neuroglancer.kernel.screenshot import Screenshot, screenshot
from jupyterlab_neuroglancer.kernel.show import show

CHROMIUM = Path("/usr/bin/chromium")


def png_bytes(pixels: np.ndarray, format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=format)
    return buffer.getvalue()


def assert_clean(viewer: neuroglancer.Viewer) -> None:
    """No screenshot request left behind: no callback, nothing asked of a future client."""
    assert viewer._screenshot_callbacks == {}
    assert viewer.config_state.state.screenshot is None


# --- no browser ------------------------------------------------------------------------------


def test_no_browser_raises_timeout_error_and_leaves_the_viewer_usable():
    lonely = neuroglancer.Viewer()
    for _ in range(2):  # the second call behaves the same
        started = time.monotonic()
        with pytest.raises(TimeoutError) as raised:
            jupyterlab_neuroglancer.screenshot(lonely, timeout=1)
        elapsed = time.monotonic() - started
        assert 0.9 <= elapsed < 3
        assert str(raised.value) == (
            "No browser showed viewer 'lonely' within 1 s, so no screenshot could be taken. "
            "Open it in a Neuroglancer panel (jupyterlab_neuroglancer.show(lonely)) and try again."
        )
        assert_clean(lonely)
    with lonely.txn() as state:
        state.layout = "xy"
    assert lonely.state.layout.type == "xy"


def test_timeout_with_size_restores_the_display_settings():
    viewer = neuroglancer.Viewer()
    with viewer.config_state.txn() as config:
        config.show_panel_borders = False
    before = viewer.config_state.state.to_json()
    with pytest.raises(TimeoutError, match=r"within 0\.5 s"):
        screenshot(viewer, timeout=0.5, size=(320, 240))
    assert_clean(viewer)
    after = viewer.config_state.state
    assert after.viewer_size is None
    assert after.show_panel_borders is False
    assert after.show_ui_controls is True
    assert {k: v for k, v in after.to_json().items() if k != "showUIControls"} == before


@pytest.mark.parametrize(
    ("options", "words"),
    [
        ({"timeout": 0}, "positive number of seconds"),
        ({"timeout": -1}, "positive number of seconds"),
        ({"timeout": float("nan")}, "positive number of seconds"),
        ({"timeout": "30"}, "positive number of seconds"),
        ({"size": (0, 10)}, "positive pixels"),
        ({"size": (10,)}, r"\(width, height\)"),
    ],
)
def test_bad_arguments_are_explained(options, words):
    viewer = neuroglancer.Viewer()
    with pytest.raises(ValueError, match=words):
        screenshot(viewer, **options)
    assert_clean(viewer)


def test_only_a_viewer_can_be_screenshot():
    with pytest.raises(TypeError, match=r"needs a neuroglancer\.Viewer, not a str"):
        screenshot("http://127.0.0.1:1/v/x/")


# --- the protocol, with a stand-in client ------------------------------------------------------


def answer_requests(viewer: neuroglancer.Viewer, pixels: np.ndarray, stop: threading.Event):
    """Act as a client: answer each screenshot request in the config state with ``pixels``."""
    image = base64.b64encode(png_bytes(pixels)).decode()
    while not stop.is_set():
        request_id = viewer.config_state.state.screenshot
        if request_id is None:
            time.sleep(0.01)
            continue
        reply = {
            "id": request_id,
            "image": image,
            "width": pixels.shape[1],
            "height": pixels.shape[0],
            "imageType": "image/png",
        }
        viewer.actions.invoke("screenshot", {"screenshot": reply})


@pytest.fixture
def stand_in_client() -> Iterator[tuple[neuroglancer.Viewer, np.ndarray]]:
    viewer = neuroglancer.Viewer()
    pixels = np.random.default_rng(3).integers(0, 256, (30, 40, 4), dtype=np.uint8)
    stop = threading.Event()
    thread = threading.Thread(target=answer_requests, args=(viewer, pixels, stop), daemon=True)
    thread.start()
    try:
        yield viewer, pixels
    finally:
        stop.set()
        thread.join(5)


def test_a_reply_is_returned_as_array_and_png(stand_in_client):
    viewer, pixels = stand_in_client
    shot = jupyterlab_neuroglancer.screenshot(viewer, timeout=10)
    assert isinstance(shot, Screenshot)
    assert (shot.width, shot.height) == (40, 30)
    assert shot.array.shape == (30, 40, 4) and shot.array.dtype == np.uint8
    np.testing.assert_array_equal(shot.array, pixels)
    np.testing.assert_array_equal(np.asarray(shot), pixels)
    assert shot.png.startswith(b"\x89PNG\r\n\x1a\n")
    assert shot._repr_png_() == shot.png
    np.testing.assert_array_equal(np.asarray(Image.open(io.BytesIO(shot.png))), pixels)
    assert_clean(viewer)


def test_a_jpeg_reply_is_converted():
    rgb = np.zeros((8, 8, 3), dtype=np.uint8)
    shot = Screenshot(png_bytes(rgb, "JPEG"), "image/jpeg", 8, 8)
    assert shot.png.startswith(b"\x89PNG")
    assert shot.array.shape == (8, 8, 4)
    assert (shot.array[..., 3] == 255).all()


# --- a real browser ----------------------------------------------------------------------------


@pytest.fixture
def chromium(tmp_path):
    """``open(url)`` starts headless Chromium (software WebGL) on ``url``; stopped afterwards."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium to take real screenshots.")
    browsers: list[subprocess.Popen] = []

    def open_url(url: str) -> subprocess.Popen:
        profile = tmp_path / f"profile-{len(browsers)}"
        args = [
            str(CHROMIUM),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            "--use-angle=swiftshader",
            "--enable-unsafe-swiftshader",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            "--window-size=800,600",
            url,
        ]
        # Its own process group, so that its renderer and GPU processes go with it.
        browser = subprocess.Popen(
            args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        browsers.append(browser)
        return browser

    try:
        yield open_url
    finally:
        for browser in browsers:
            for sig in (signal.SIGTERM, signal.SIGKILL):
                try:
                    os.killpg(browser.pid, sig)
                    browser.wait(10)
                    break
                except ProcessLookupError:
                    break
                except subprocess.TimeoutExpired:
                    continue


def test_a_real_browser_takes_the_screenshot(chromium):
    em = np.random.default_rng(0).integers(0, 256, (32, 64, 64), dtype=np.uint8)
    viewer = show(em, layer_type="image")
    chromium(viewer.get_viewer_url())

    shot = screenshot(viewer, timeout=60)
    assert shot.array.shape == (shot.height, shot.width, 4)
    assert shot.width == 800 and 0 < shot.height <= 600
    colours = np.unique(shot.array.reshape(-1, 4), axis=0)
    assert len(colours) > 50, "the image looks blank"
    # The random image layer shows as many greys: pixels with r == g == b, many distinct values.
    greys = shot.array[(shot.array[..., 0] == shot.array[..., 1])]
    assert len(np.unique(greys[:, 0])) > 50
    assert_clean(viewer)

    before = viewer.config_state.state.to_json()
    sized = screenshot(viewer, timeout=60, size=(400, 300))
    assert (sized.width, sized.height) == (400, 300)
    assert sized.array.shape == (300, 400, 4)
    assert len(np.unique(sized.array.reshape(-1, 4), axis=0)) > 50
    after = viewer.config_state.state
    assert after.viewer_size is None and after.show_ui_controls and after.show_panel_borders
    assert {k: v for k, v in after.to_json().items() if k in before} == before
    assert_clean(viewer)
