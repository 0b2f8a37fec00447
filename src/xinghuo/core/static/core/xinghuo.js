// Small behaviours shared by every page. No inline scripts anywhere: the content security policy forbids them.
(function () {
  "use strict";
  // Confirm dangerous actions: <button data-confirm="确定撤销该角色？">
  document.addEventListener("click", function (event) {
    var el = event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);
  // Auto-submit filter forms when a select changes: <form data-autosubmit>
  document.addEventListener("change", function (event) {
    var form = event.target.closest("form[data-autosubmit]");
    if (form && event.target.tagName === "SELECT") { form.requestSubmit ? form.requestSubmit() : form.submit(); }
  });
})();
