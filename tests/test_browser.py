"""End to end in a real browser: Debian's chromium driven by Playwright against the served app.

Sends a prompt, waits for the reply's audio player, sends a follow-up and sees
version 2; then restarts the server on the same data folder, reloads the page
and finds the conversation still there (the session id lives in the browser's
localStorage, the history in SQLite); "New conversation" starts an empty one.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # benchmarks/ is not an installed package
from benchmarks.conversation import free_port, start_server  # noqa: E402

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian chromium is not installed at /usr/bin/chromium "
                                                     "(`make setup` installs it with apt-get)"),
]


def send(page, text: str) -> None:
    box = page.locator("#prompt textarea")
    box.fill(text)
    page.locator("#send").click()


def test_prompt_reply_with_audio_then_follow_up_then_reload_and_restart(tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    if shutil.which(str(CHROMIUM)) is None:
        pytest.skip("chromium is not executable")
    data, port = tmp_path / "data", free_port()  # the same origin after the restart keeps localStorage
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        try:
            page = browser.new_page()
            page.set_default_timeout(120_000)
            with start_server(data, port) as (url, _):
                page.goto(url)
                page.locator("#prompt textarea").wait_for()
                send(page, "a calm piano piece in C major at 90 bpm, 8 bars")
                chat = page.locator("#chat")
                chat.locator("audio").first.wait_for(state="attached")  # the reply's audio player
                chat.get_by_text("Version 1", exact=False).first.wait_for()
                assert chat.locator("img").count() >= 1  # the piano roll picture
                send(page, "make it 120 bpm")
                chat.get_by_text("Version 2", exact=False).first.wait_for()
                chat.get_by_text("tempo 90 -> 120 bpm", exact=False).first.wait_for()
                assert chat.locator("audio").count() >= 2
                page.locator("#versions").get_by_text("v2 (current)", exact=False).wait_for()

            with start_server(data, port) as (url, _):  # a new server process on the same data folder
                page.goto(url)  # same browser, same localStorage: the conversation comes back
                chat = page.locator("#chat")
                chat.get_by_text("tempo 90 -> 120 bpm", exact=False).first.wait_for()
                page.locator("#versions").get_by_text("v2 (current)", exact=False).wait_for()
                chat.locator("audio").nth(1).wait_for(state="attached")

                page.locator("#new-conversation").click()  # and a new conversation starts empty
                page.locator("#versions").get_by_text("No versions yet", exact=False).wait_for()
                assert page.locator("#chat").get_by_text("Version 1", exact=False).count() == 0
        finally:
            browser.close()
