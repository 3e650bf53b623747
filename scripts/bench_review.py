"""Size and opening time of the review page of a 20-page Founder-damaged gazette issue.

The issue is generated like bench_pdf.py's (needs the `fixtures` extra). The page is opened
in headless Chromium (chromium + chromedriver, as the browser test uses) and timed by the
browser's own navigation timing (until the load event: images decoded, script run), against
a named baseline measured in the same run: a bare HTML file holding the same page images
and nothing else. Each figure is the fastest of --repeats openings.
Run: python scripts/bench_review.py [--pages 20] [--repeats 3]
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_pdf import gazette  # noqa: E402

from jiaokan import ConvertOptions  # noqa: E402
from jiaokan.pdf.convert import convert_pdf  # noqa: E402
from jiaokan.review import build_report  # noqa: E402


def browser(profile: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1000", f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def open_seconds(driver, page: Path, repeats: int) -> float:
    """Fastest time from navigation start to the end of the load event."""
    best = float("inf")
    for _ in range(repeats):
        driver.get("about:blank")
        driver.get(page.as_uri())
        milliseconds = driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd;")
        best = min(best, milliseconds / 1000)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        _, damaged = gazette(args.pages, root)
        conversion = convert_pdf(damaged, ConvertOptions(ocr="never"))
        report = root / "report.html"
        report.write_text(build_report(conversion), encoding="utf-8")
        images = re.findall(r'<img src="(data:image/png;base64,[^"]+)"', report.read_text(encoding="utf-8"))
        bare = root / "images.html"
        bare.write_text("<!doctype html><meta charset=utf-8>" + "".join(f'<img src="{i}" width=600>' for i in images))
        driver = browser(root / "profile")
        try:
            ours, baseline = open_seconds(driver, report, args.repeats), open_seconds(driver, bare, args.repeats)
        finally:
            driver.quit()
        size, bare_size = report.stat().st_size / 2**20, bare.stat().st_size / 2**20
        print(f"{conversion.source['pages']} pages, {len(conversion.pdf.repairs)} repairs marked")
        print(f"review page : {size:5.2f} MB, opens in {ours:.3f} s")
        print(f"images alone: {bare_size:5.2f} MB, opens in {baseline:.3f} s")
        print(f"the review page opens in {ours / baseline:.2f}x the time of its page images alone; {size / bare_size:.2f}x their size")


if __name__ == "__main__":
    main()
