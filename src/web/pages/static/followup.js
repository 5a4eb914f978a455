// The charts of the follow-up dashboard and the planning page (uPlot). Each chart is drawn from the table that
// follows it, so the table stays the source and the page reads the same without JavaScript. A withheld value
// ("..") is a gap.
(function () {
  "use strict";
  var colours = ["#1f5fa8", "#b3541e", "#2e7d32", "#6a1b9a", "#5d4037"];

  function number(text) {
    var t = text.trim().replace(/\s/g, "").replace(",", ".");
    return t === ".." || t === "–" || t === "" ? null : Number(t);
  }

  // The count columns: those between the row names and "Totalt" (a share column may follow it).
  function columnNames(table) {
    var names = [], done = false;
    table.querySelectorAll("thead th").forEach(function (th, i) {
      var name = th.textContent.trim();
      if (name === "Totalt") done = true;
      if (i > 0 && !done) names.push(name);
    });
    return names;
  }

  function lineChart(box, table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var names = columnNames(table);
    var data = [rows.map(function (tr) { return Number(tr.getAttribute("data-x")); })];
    var series = [{}];
    names.forEach(function (name, c) {
      data.push(rows.map(function (tr) { return number(tr.querySelectorAll("td")[c].textContent); }));
      series.push({ label: name, stroke: colours[c % colours.length], width: 2, spanGaps: false });
    });
    return new uPlot({ width: box.clientWidth || 640, height: 240, series: series,
                       axes: [{}, { label: "Antal" }] }, data, box);
  }

  function barChart(box, table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var labels = rows.map(function (tr) { return tr.querySelector("th").textContent.trim(); });
    var totals = rows.map(function (tr) { var td = tr.querySelectorAll("td"); return number(td[td.length - 1].textContent); });
    var x = labels.map(function (_, i) { return i; });
    return new uPlot({
      width: box.clientWidth || 640, height: 240,
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: [0, null] } },
      series: [{}, { label: "Totalt", fill: colours[0], stroke: colours[0], paths: uPlot.paths.bars({ size: [0.6] }),
                     points: { show: false } }],
      axes: [{ splits: function () { return x; }, values: function (u, splits) { return splits.map(function (i) { return labels[i]; }); } },
             { label: "Antal" }]
    }, [x, totals], box);
  }

  // Two bars per row, "I dag" and "Scenario" (the planning page): the table's two value columns side by side.
  function pairChart(box, table) {
    var rows = Array.prototype.slice.call(table.querySelectorAll("tbody tr"));
    var labels = rows.map(function (tr) { return tr.querySelector("th").textContent.trim(); });
    var x = labels.map(function (_, i) { return i; });
    var data = [x], series = [{}];
    columnNames(table).forEach(function (name, c) {
      data.push(rows.map(function (tr) { return number(tr.querySelectorAll("td")[c].textContent); }));
      series.push({ label: name, fill: colours[c % colours.length], stroke: colours[c % colours.length],
                    paths: uPlot.paths.bars({ size: [0.35], align: c === 0 ? -1 : 1 }), points: { show: false } });
    });
    return new uPlot({
      width: box.clientWidth || 640, height: 240,
      scales: { x: { time: false, range: [-0.5, labels.length - 0.5] }, y: { range: [0, null] } },
      series: series,
      axes: [{ splits: function () { return x; }, values: function (u, splits) { return splits.map(function (i) { return labels[i]; }); } }, {}]
    }, data, box);
  }

  var charts = { line: lineChart, bar: barChart, pairs: pairChart };

  function draw() {
    if (typeof uPlot === "undefined") return;
    document.querySelectorAll(".chart[data-chart-for]").forEach(function (box) {
      var table = document.getElementById(box.getAttribute("data-chart-for"));
      if (!table || box.getAttribute("data-drawn")) return;
      var kind = charts[box.getAttribute("data-chart")] ? box.getAttribute("data-chart") : "line";
      box.setAttribute("data-drawn", charts[kind](box, table) && kind);
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw); else draw();
})();
