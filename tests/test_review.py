"""Review pages: self-contained HTML with every repair marked and linked; checked in Chromium.

The browser test drives Debian's chromium through chromedriver (both installed by .ci/run).
Set JIAOKAN_SCREENSHOTS=DIR to keep its screenshots (fixtures/review holds the committed ones).
"""

import os
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from jiaokan import ConvertOptions, convert_file
from jiaokan.cli import main
from jiaokan.review import build_report

from conftest import FIXTURES

PDFS = FIXTURES.parent / "pdf"
CHROMIUM, CHROMEDRIVER = shutil.which("chromium"), shutil.which("chromedriver")


class Anchors(HTMLParser):
    """Every id, every local link, and every external reference of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.links: list[str] = []
        self.external: list[str] = []
        self.marks: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.append(attrs["id"])
        for key in ("href", "src"):
            value = attrs.get(key) or ""
            if value.startswith("#"):
                self.links.append(value[1:])
            elif value and not value.startswith("data:"):
                self.external.append(value)
        if tag == "mark":
            self.marks.append(attrs)


@pytest.fixture(scope="module")
def pdf_conversion():
    return convert_file(PDFS / "gazette_founder31.pdf", ConvertOptions(ocr="never"))


@pytest.fixture(scope="module")
def pdf_report(pdf_conversion, tmp_path_factory):
    path = tmp_path_factory.mktemp("review") / "founder31.review.html"
    path.write_text(build_report(pdf_conversion, threshold=0.995), encoding="utf-8")  # glyph-verified 0.99 listed
    return path


@pytest.fixture(scope="module")
def text_report(tmp_path_factory):
    path = tmp_path_factory.mktemp("review") / "gazette.review.html"
    assert main(["review", str(FIXTURES / "gazette_founder.txt"), "-o", str(path)]) == 0
    return path


def parsed(path: Path) -> Anchors:
    anchors = Anchors()
    anchors.feed(path.read_text(encoding="utf-8"))
    return anchors


def test_pdf_report_is_self_contained_and_marks_every_repair(pdf_conversion, pdf_report):
    anchors = parsed(pdf_report)
    assert anchors.external == []
    assert len(set(anchors.ids)) == len(anchors.ids)
    assert set(anchors.links) <= set(anchors.ids)  # every local link lands somewhere
    repairs = pdf_conversion.repair.repairs
    assert len(anchors.marks) == len(repairs)
    first = repairs[0]
    assert anchors.marks[0]["title"] == f"{first.before} → {first.after} · {first.method} · {first.confidence:.2f}"
    assert sum(1 for i in anchors.ids if re.fullmatch(r"b\d+", i)) == len(repairs)
    assert re.findall(r'<img src="data:image/png;base64,', pdf_report.read_text(encoding="utf-8")).__len__() == 2


def test_text_report_marks_edits_where_they_landed(text_report, gazette_repair):
    anchors = parsed(text_report)
    assert anchors.external == [] and set(anchors.links) <= set(anchors.ids)
    assert len(anchors.marks) == len(gazette_repair.repairs)
    html = text_report.read_text(encoding="utf-8")
    assert "<img" not in html and "研究院" in html
    lines = gazette_repair.text.split("\n")
    shown = re.findall(r'<p id="text-l(\d+)">(.*?)</p>', html)
    assert len(shown) == len(lines)
    for number, inner in shown[:400]:  # the text shown is the repaired text, marks and all
        text = re.sub(r"<[^>]+>", "", inner).replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&")
        text = text.replace("&lt;", "<").replace("&gt;", ">")
        assert text == lines[int(number) - 1]


def test_batch_review_index_lists_every_input(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(PDFS / "gazette_founder31.pdf", folder)
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert main(["batch", str(folder), str(out), "-j", "1", "--ocr", "never", "--review"]) == 1
    index = (out / "index.html").read_text(encoding="utf-8")
    assert '<a href="gazette_founder31.pdf.review.html">gazette_founder31.pdf</a>' in index
    assert "empty.txt: the file is empty" in index
    assert (out / "gazette_founder31.pdf.review.html").exists()


# --- in a real browser ---------------------------------------------------------------

@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("Chromium and chromedriver are not installed (apt-get install chromium chromium-driver)")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1400,1000", f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    yield driver
    driver.quit()


def screenshot(driver, name: str, tmp_path: Path) -> Path:
    folder = Path(os.environ.get("JIAOKAN_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    driver.save_screenshot(str(path))
    assert path.stat().st_size > 10_000 and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    return path


def in_view(driver, element_id: str) -> bool:
    return driver.execute_script(
        "var r = document.getElementById(arguments[0]).getBoundingClientRect();"
        "return r.top >= -1 && r.top < window.innerHeight;", element_id)


def test_pdf_report_in_chromium(browser, pdf_report, pdf_conversion, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(pdf_report.as_uri())
    images = browser.execute_script(
        "return Array.from(document.images).map(i => [i.complete, i.naturalWidth, i.getBoundingClientRect().width]);")
    assert len(images) == 2 and all(complete and natural >= 800 and shown > 300 for complete, natural, shown in images)
    assert len(browser.find_elements(By.CSS_SELECTOR, "mark.repair")) == len(pdf_conversion.repair.repairs)
    screenshot(browser, "founder31-top.png", tmp_path)

    # the first decision to check: to its mark in the text, then to its box on the page image
    item = browser.find_element(By.CSS_SELECTOR, "ol.check li a")
    target = item.get_attribute("href").split("#")[1]
    item.click()
    assert browser.execute_script("return location.hash") == "#" + target and in_view(browser, target)
    number = int(target[1:])
    browser.find_element(By.ID, target).find_element(By.TAG_NAME, "a").click()
    assert browser.execute_script("return location.hash") == f"#b{number}" and in_view(browser, f"b{number}")
    # the box sits on the glyph: its place on the image is the repair's bbox on the page
    repair = next(r for r in pdf_conversion.repair.repairs if r.confidence < 0.995)
    width, height = pdf_conversion.pdf.page_sizes[repair.page]
    box, image = browser.execute_script(
        "var b = document.getElementById(arguments[0]).getBoundingClientRect();"
        "var i = b && document.getElementById(arguments[0]).parentElement.querySelector('img').getBoundingClientRect();"
        "return [[b.left, b.top, b.width], [i.left, i.top, i.width, i.height]];", f"b{number}")
    assert abs((box[0] - image[0]) / image[2] - repair.bbox[0] / width) < 0.002
    assert abs((box[1] - image[1]) / image[3] - repair.bbox[1] / height) < 0.002
    screenshot(browser, "founder31-box.png", tmp_path)

    # the outline navigates to the documents and their clauses
    link = browser.find_element(By.CSS_SELECTOR, "nav#outline ol.outline > li > a")
    link.click()
    anchor = link.get_attribute("href").split("#")[1]
    assert browser.execute_script("return location.hash") == "#" + anchor and in_view(browser, anchor)
    assert browser.find_element(By.ID, anchor).tag_name == "article"


def test_text_report_in_chromium(browser, text_report, tmp_path):
    from selenium.webdriver.common.by import By

    browser.get(text_report.as_uri())
    assert browser.find_elements(By.CSS_SELECTOR, "mark.repair.doubt")
    first = browser.find_element(By.CSS_SELECTOR, "ol.check li a")
    target = first.get_attribute("href").split("#")[1]
    first.click()
    assert in_view(browser, target)
    mark = browser.find_element(By.ID, target)
    assert " → " in mark.get_attribute("title") and mark.text
    screenshot(browser, "gazette-text-check.png", tmp_path)
    heading = browser.find_element(By.CSS_SELECTOR, "nav#outline details summary")
    heading.click()  # native <details>: the clauses of the first document open
    clause = browser.find_element(By.CSS_SELECTOR, "nav#outline details ol li a")
    anchor = clause.get_attribute("href").split("#")[1]
    clause.click()
    assert in_view(browser, anchor) and browser.find_element(By.ID, anchor).get_attribute("class") == "clause"


def test_batch_index_sorts_in_chromium(browser, tmp_path):
    from selenium.webdriver.common.by import By

    folder = tmp_path / "in"
    folder.mkdir()
    for kind in ("founder31", "kangxi", "clean"):
        shutil.copy(PDFS / f"gazette_{kind}.pdf", folder)
    out = tmp_path / "out"
    assert main(["batch", str(folder), str(out), "-j", "1", "--ocr", "never", "--review"]) == 0
    browser.get((out / "index.html").as_uri())

    def column(n: int) -> list[str]:
        return [row.find_elements(By.TAG_NAME, "td")[n].text for row in browser.find_elements(By.CSS_SELECTOR, "tbody tr")]

    heading = browser.find_elements(By.CSS_SELECTOR, "thead th")[3]  # repairs
    heading.click()
    assert column(3) == sorted(column(3), key=int) and heading.get_attribute("aria-sort") == "ascending"
    heading.click()
    assert column(3) == sorted(column(3), key=int, reverse=True)
    assert column(0)[0] == "gazette_founder31.pdf"  # 246 repairs, then kangxi's 213, then clean's 0
    browser.find_element(By.LINK_TEXT, "gazette_founder31.pdf").click()
    assert browser.current_url.endswith("gazette_founder31.pdf.review.html")
