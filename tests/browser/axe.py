"""Accessibility and small-screen checks run inside a Playwright page.

axe-core is vendored from npm (`npm run vendor`) into tests/browser/vendor, so CI needs no
npm. The pages' Content Security Policy refuses inline and injected scripts, so axe is added
as an init script, which the browser runs in every new document before the page's own."""

from pathlib import Path

AXE = Path(__file__).parent / "vendor" / "axe.min.js"

# Issue #10: no serious or critical violation on any page, and no table header without
# text (axe ranks an empty header as minor, so it is asked for by name).
IMPACTS = ("serious", "critical")
ALWAYS = ("empty-table-header",)


def load_axe(page) -> None:
    """Make axe available on every page this tab opens from now on."""
    page.add_init_script(path=str(AXE))


def accessibility_violations(page) -> list[str]:
    """axe's serious and critical violations on the page as it is now, plus table headers
    without text: one line per rule, naming the elements that break it."""
    violations = page.evaluate(
        """async () => {
            const result = await axe.run(document, {resultTypes: ["violations"]});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.map(
                    n => `${n.target.join(" ")} | ${n.failureSummary.replace(/\\s+/g, " ")}`
                ),
            }));
        }"""
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']}: " + "; ".join(v["nodes"][:5])
        for v in violations
        if v["impact"] in IMPACTS or v["id"] in ALWAYS
    ]


def scrolls_sideways(page) -> bool:
    """Whether the page itself is wider than the window (a phone then scrolls it sideways)."""
    return page.evaluate(
        "() => document.scrollingElement.scrollWidth > document.scrollingElement.clientWidth"
    )


def table_controls_off_screen(page) -> list[str]:
    """The links and buttons of tables that are shown but lie outside the window, as a
    table wider than a phone leaves them, to be reached only by scrolling the table."""
    return page.evaluate(
        """() => {
            const width = document.documentElement.clientWidth;
            return [...document.querySelectorAll("table a[href], table button")]
                .filter(el => el.getClientRects().length > 0)
                .filter(el => {
                    const box = el.getBoundingClientRect();
                    return box.left < 0 || box.right > width + 0.5;
                })
                .map(el => `${el.textContent.trim()} (${el.getBoundingClientRect().right}px)`);
        }"""
    )
