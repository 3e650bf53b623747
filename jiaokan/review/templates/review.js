// Optional: sorting of tables and linked highlighting on hover. The page reads without it.
document.querySelectorAll("table.sortable").forEach(function (table) {
  table.querySelectorAll("th").forEach(function (heading, column) {
    heading.setAttribute("tabindex", "0");
    heading.setAttribute("aria-sort", "none");
    function sort() {
      var ascending = heading.getAttribute("aria-sort") !== "ascending";
      var numeric = heading.dataset.type === "number";
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
        var order = numeric ? Number(x) - Number(y) : x.localeCompare(y, "zh-Hans-CN");
        return ascending ? order : -order;
      });
      rows.forEach(function (row) { body.appendChild(row); });
      table.querySelectorAll("th").forEach(function (other) { other.setAttribute("aria-sort", "none"); });
      heading.setAttribute("aria-sort", ascending ? "ascending" : "descending");
    }
    heading.addEventListener("click", sort);
    heading.addEventListener("keydown", function (event) { if (event.key === "Enter") { sort(); } });
  });
});
document.querySelectorAll("mark.repair, a.box").forEach(function (element) {
  var number = element.id.slice(1);
  var partners = [document.getElementById("r" + number), document.getElementById("b" + number)];
  function toggle(on) { partners.forEach(function (p) { if (p) { p.classList.toggle("hot", on); } }); }
  element.addEventListener("mouseenter", function () { toggle(true); });
  element.addEventListener("mouseleave", function () { toggle(false); });
});
