// The article editor: Quill (vendor/quill) over the body's textarea, with the toolbar the page gives it. The
// textarea stays the form's field and is only hidden: every change writes the editor's HTML back into it, and
// an untouched body is sent exactly as it came. The server cleans whatever arrives (resources/richtext.py).
// A body with what Quill cannot hold (tables, figures, rules) is left in the textarea, to be edited as HTML.
(function () {
  "use strict";
  if (!window.Quill) return;
  // What richtext.clean keeps and Quill can edit; anything else is dropped from a paste.
  var FORMATS = ["header", "bold", "italic", "underline", "script", "code", "blockquote", "code-block", "list", "link"];
  var UNSUPPORTED = /<(table|figure|hr)\b/i;
  var HAS_TAG = /<[a-zA-Z][^>]*>/;

  // A link typed as "www.example.org" would point inside the platform: it gets https:// as the form's URL fields do.
  var Link = window.Quill.import("formats/link");
  var sanitize = Link.sanitize;
  Link.sanitize = function (url) {
    return sanitize.call(Link, /^[\w-]+(\.[\w-]+)+(\/|$)/.test(url) ? "https://" + url : url);
  };

  function escape(text) {
    var div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  }

  // A body typed without the editor, as richtext.clean reads it: blank lines part paragraphs.
  function asHtml(body) {
    if (HAS_TAG.test(body)) return body;
    return body.split(/\r?\n\s*\r?\n/).filter(function (p) { return p.trim(); }).map(function (p) {
      return "<p>" + escape(p.trim()).replace(/\r?\n/g, "<br>") + "</p>";
    }).join("");
  }

  function start(box) {
    var textarea = box.querySelector("textarea");
    var toolbar = box.querySelector("[data-editor-toolbar]");
    if (UNSUPPORTED.test(textarea.value)) {
      box.querySelector("[data-editor-unsupported]").hidden = false;
      return;
    }
    var area = document.createElement("div");
    textarea.before(area);
    var quill = new window.Quill(area, { theme: "snow", bounds: area, formats: FORMATS, modules: { toolbar: { container: toolbar } } });
    // Headings outside h2–h4 (a pasted h1, say) become the nearest one the article keeps.
    quill.clipboard.addMatcher(Node.ELEMENT_NODE, function (node, delta) {
      delta.ops.forEach(function (op) {
        if (op.attributes && op.attributes.header) op.attributes.header = Math.min(Math.max(op.attributes.header, 2), 4);
      });
      return delta;
    });
    quill.setContents(quill.clipboard.convert({ html: asHtml(textarea.value) }), "silent");
    quill.history.clear();

    quill.on("text-change", function () {
      // Quill 2.0.3 writes every space as &nbsp; (slab/quill#4509); a run keeps one plain space so lines wrap.
      textarea.value = quill.getText().trim() ? quill.getSemanticHTML().replace(/(?:&nbsp;)+/g, function (run) {
        return " " + run.slice("&nbsp;".length);
      }) : "";
    });

    var label = textarea.labels && textarea.labels[0];
    quill.root.setAttribute("role", "textbox");
    quill.root.setAttribute("aria-multiline", "true");
    if (textarea.hasAttribute("aria-describedby")) quill.root.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    if (label) {
      quill.root.setAttribute("aria-label", label.textContent.replace("*", "").trim());
      label.addEventListener("click", function () { quill.focus(); });
    }
    if (textarea.classList.contains("is-invalid")) box.classList.add("is-invalid");
    // The link tooltip's words are CSS content: attr(data-label-…) of the tooltip and of its two links.
    var tooltip = quill.theme.tooltip;
    [tooltip.root, tooltip.root.querySelector(".ql-action"), tooltip.root.querySelector(".ql-remove")].forEach(function (node) {
      Object.keys(toolbar.dataset).forEach(function (key) {
        if (key.indexOf("label") === 0) node.dataset[key] = toolbar.dataset[key];
      });
    });
    tooltip.textbox.dataset.link = "https://";
    textarea.hidden = true;
    toolbar.hidden = false;
    box.querySelector("[data-editor-plain]").hidden = true;
  }

  document.querySelectorAll("[data-rich-text]").forEach(start);
})();
