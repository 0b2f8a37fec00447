// The course editor's lesson rows: typing in a resource box asks the console for published resources whose
// title matches and fills the shared <datalist>; choosing one puts its number in the box and, when the row has
// no name yet, the resource's title as the lesson's name. Without JavaScript the number can be pasted.
(function () {
  "use strict";
  var list = document.getElementById("xh-resource-choices");
  if (!list) return;
  var url = list.getAttribute("data-lookup");
  var timer = null;
  var titles = {};

  function lookup(query) {
    fetch(url + "?q=" + encodeURIComponent(query), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : { items: [] }; })
      .then(function (data) {
        list.replaceChildren();
        data.items.forEach(function (item) {
          var option = document.createElement("option");
          option.value = item.uid;
          option.label = item.title + "（" + item.kind + "）";
          titles[item.uid] = item.title;
          list.appendChild(option);
        });
      });
  }

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (!box.classList || !box.classList.contains("xh-lesson-resource")) return;
    var value = box.value.trim();
    if (titles[value]) {
      var row = box.closest("[data-lesson-row]");
      var name = row && row.querySelector("input[name$='-title']");
      if (name && !name.value) name.value = titles[value];
      return;
    }
    clearTimeout(timer);
    if (value.length >= 1) timer = setTimeout(function () { lookup(value); }, 250);
  });
})();
