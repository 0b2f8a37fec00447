/* The dashboard's charts (ECharts). The data comes from the page's JSON script element #xh-chart-data; each element
   with data-chart="<name>" is drawn by the function of that name. A click on a bar, a point or a cell opens the
   records it counts (the item's url). No inline script or style: the page's CSP forbids both. */
(function () {
  "use strict";
  var source = document.getElementById("xh-chart-data");
  if (!source || typeof echarts === "undefined") { return; }
  var data = JSON.parse(source.textContent);
  var STATE = { met: "#2f855a", over: "#b7791f", behind: "#c53030", no_target: "#718096" };
  var COVERED = "#48bb78", UNCOVERED = "#e53e3e";

  function follow(chart) {
    chart.on("click", function (params) {
      var url = (params.data && params.data.url) || (params.seriesIndex !== undefined && params.series && params.series.url);
      if (url) { window.location.href = url; }
    });
  }

  var draw = {
    progress: function (el) {
      var rows = data.progress.slice().reverse();
      return {
        grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
        tooltip: { formatter: function (p) { return p.name + "\n" + p.data.label + "（目标 " + p.data.target + "）"; } },
        xAxis: { type: "value", min: 0, max: 100, interval: 20 },
        yAxis: { type: "category", data: rows.map(function (r) { return r.name; }), axisLabel: { width: 190, overflow: "break" } },
        series: [{ type: "bar", data: rows.map(function (r) {
          return { value: r.value, url: r.url, label: r.label, target: r.target, itemStyle: { color: STATE[r.state] || STATE.no_target } };
        }), label: { show: true, position: "right", formatter: "{c}%" } }]
      };
    },
    trends: function () {
      return {
        tooltip: { trigger: "axis" }, legend: { type: "scroll", top: 0 },
        grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
        xAxis: { type: "category", data: data.months }, yAxis: { type: "value", minInterval: 1 },
        series: data.trends.map(function (s) {
          return { name: s.name, type: "line", data: s.data.map(function (v) { return { value: v, url: s.url }; }) };
        })
      };
    },
    stations: function (el) { return treemap(el, data.stations, function (d) { return d.covered ? COVERED : UNCOVERED; },
      function (d) { return d.name + (d.covered ? "：已建服务站" : "：尚未建站"); }); },
    villages: function (el) { return treemap(el, data.villages, function () { return UNCOVERED; },
      function (d) { return d.name + "：" + d.value + " 个社区（村）尚无宣传员（共 " + d.villages + " 个）"; }); },
    parts: function () {
      var unit = data.ratio ? "%" : data.unit;
      return {
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true },
        tooltip: { formatter: function (p) { return p.name + "：" + (data.ratio ? p.data.count + "/" + p.data.total + "（" + p.value + "%）" : p.value + " " + unit); } },
        xAxis: { type: "category", data: data.parts.map(function (p) { return p.name; }), axisLabel: { interval: 0, rotate: data.parts.length > 8 ? 40 : 0 } },
        yAxis: { type: "value", max: data.ratio ? 100 : null },
        series: [{ type: "bar", data: data.parts.map(function (p) { return { value: p.value, url: p.url, count: p.count, total: p.total }; }),
                   itemStyle: { color: "#2b6cb0" } }]
      };
    },
    months: function () {
      return {
        grid: { left: 8, right: 16, top: 16, bottom: 8, containLabel: true }, tooltip: { trigger: "axis" },
        xAxis: { type: "category", data: data.months.map(function (m) { return m.name; }) }, yAxis: { type: "value", minInterval: 1 },
        series: [{ type: "bar", data: data.months.map(function (m) { return { value: m.value, url: m.url }; }), itemStyle: { color: "#2b6cb0" } }]
      };
    },
    "public": function () {
      var rows = data.figures.slice().reverse();
      return {
        grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
        xAxis: { type: "value", min: 0, max: 100, interval: 20 }, yAxis: { type: "category", data: rows.map(function (r) { return r.name; }) },
        series: [{ type: "bar", data: rows.map(function (r) { return r.value; }), label: { show: true, position: "right", formatter: "{c}%" },
                   itemStyle: { color: "#2b6cb0" } }]
      };
    }
  };

  function treemap(el, groups, colour, tip) {
    var narrow = el.clientWidth < 560;  // on a phone the towns' cells are too small for their names: the tooltip names them
    return {
      tooltip: { formatter: function (p) { return p.data && p.data.url ? tip(p.data) : p.name; } },
      series: [{
        type: "treemap", roam: false, nodeClick: false, breadcrumb: { show: false }, width: "100%", height: "100%",
        levels: [{ itemStyle: { borderColor: "#fff", borderWidth: 3, gapWidth: 3 } },
                 { itemStyle: { borderColor: "#fff", borderWidth: 1, gapWidth: 1 }, upperLabel: { show: true, height: 20, color: "#1a202c" } }],
        label: { show: !narrow, fontSize: 10, overflow: "truncate", ellipsis: "" },
        data: groups.map(function (g) {
          return { name: g.name, children: g.children.map(function (d) {
            return { name: d.name, value: d.value, url: d.url, covered: d.covered, villages: d.villages, itemStyle: { color: colour(d) } };
          }) };
        })
      }]
    };
  }

  var charts = [];
  document.querySelectorAll("[data-chart]").forEach(function (el) {
    var make = draw[el.getAttribute("data-chart")];
    if (!make) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    var option = make(el);
    option.tooltip = Object.assign({ renderMode: "richText" }, option.tooltip || {});  // drawn on the canvas: no HTML, no inline style
    chart.setOption(option);
    follow(chart);
    charts.push(chart);
  });
  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
})();
