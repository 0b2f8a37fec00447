// The task form: a box that narrows the list of responsible units to those whose name or code contains what is
// typed; an "all of this kind" box per kind that ticks or clears every unit of it (and is ticked when all are); and
// a button that adds a row of measurable targets from the formset's empty row. Without JavaScript the form still
// works: the "all" box chooses the whole kind on the server, and saving gives two more empty rows.
(function () {
  "use strict";
  var filter = document.querySelector("[data-unit-filter]");
  if (filter) {
    filter.addEventListener("input", function () {
      var query = filter.value.trim().toLowerCase();
      document.querySelectorAll("[data-unit-name]").forEach(function (el) {
        var name = el.getAttribute("data-unit-name").toLowerCase();
        el.classList.toggle("d-none", query !== "" && name.indexOf(query) === -1);
      });
    });
  }

  document.querySelectorAll("[data-unit-group]").forEach(function (group) {
    var all = group.querySelector("[data-unit-all]");
    var boxes = Array.prototype.slice.call(group.querySelectorAll("input[name='units']"));
    if (!all) return;
    function sync() {
      all.checked = boxes.length > 0 && boxes.every(function (box) { return box.checked; });
    }
    if (all.checked) boxes.forEach(function (box) { box.checked = true; });
    sync();
    group.addEventListener("change", function (event) {
      if (event.target === all) {
        boxes.forEach(function (box) { box.checked = all.checked; });
      } else {
        sync();
      }
    });
  });

  var add = document.querySelector("[data-add-target]");
  var empty = document.getElementById("xh-target-empty");
  if (add && empty) {
    add.addEventListener("click", function () {
      var total = document.getElementById("id_targets-TOTAL_FORMS");
      var max = document.getElementById("id_targets-MAX_NUM_FORMS");
      var n = parseInt(total.value, 10);
      if (n >= parseInt(max.value, 10)) return;
      var rows = document.querySelector("[data-target-rows] tbody");
      rows.insertAdjacentHTML("beforeend", empty.innerHTML.replace(/__prefix__/g, String(n)));
      total.value = String(n + 1);
      var first = rows.lastElementChild && rows.lastElementChild.querySelector("input[type='text']");
      if (first) first.focus();
    });
  }
})();
