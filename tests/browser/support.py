"""Helpers for the browser tests: signing in, screenshots, axe-core scans."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from intranet import ROOT

DEMO_PASSWORD = "browser-demo-password"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def screenshot(page: Page, name: str) -> None:
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)


def axe_violations(axe: Axe, page: Page) -> list[str]:
    """WCAG 2.1 A and AA violations on the page, one readable line per failing element."""
    results = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_21_AA}})
    lines = []
    for violation in results.response["violations"]:
        for node in violation["nodes"]:
            lines.append(
                f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                f"{', '.join(map(str, node['target']))}: {node.get('failureSummary', '')}"
            )
    return lines


def sign_in(page: Page, username: str) -> None:
    page.goto("/login")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    expect(page.get_by_role("button", name="Logga ut")).to_be_visible()


def is_focused(locator) -> bool:
    return locator.evaluate("element => element === document.activeElement")


def tab_to(page: Page, locator, limit: int = 300, key: str = "Tab") -> None:
    """Press Tab (only) until the element has focus, as a keyboard user would."""
    for _ in range(limit):
        if is_focused(locator):
            return
        page.keyboard.press(key)
    raise AssertionError(f"{limit} presses of {key} never reached {locator}")
