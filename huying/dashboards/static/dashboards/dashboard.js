// Draws the dashboard charts from the JSON that the page embeds with json_script.
// Every label comes from the server (translated there); the tables below each chart carry the
// same figures, so the page still reads without JavaScript.
(function () {
  "use strict";
  var node = document.getElementById("dashboard-data");
  if (!node || typeof window.echarts === "undefined") { return; }
  var data = JSON.parse(node.textContent);
  var charts = [];

  function make(id, option, rows) {
    var el = document.getElementById(id);
    if (!el) { return; }
    var chart = window.echarts.init(el);
    if (!rows) {
      option = { title: { text: data.empty, left: "center", top: "middle", textStyle: { color: "#888", fontSize: 14 } } };
    }
    chart.setOption(option);
    charts.push(chart);
  }

  function percent(value) { return value === null || value === undefined ? "—" : value + "%"; }

  var tooltipAxis = {
    trigger: "axis",
    valueFormatter: function (value) { return value === null || value === undefined ? "—" : value; }
  };

  function barWithRates(series, horizontal) {
    var categoryAxis = { type: "category", data: series.labels, axisLabel: { interval: 0, rotate: horizontal ? 0 : 30 } };
    var valueAxis = { type: "value", name: data.count_axis, minInterval: 1 };
    if (horizontal) {
      categoryAxis.inverse = true;
    }
    return {
      tooltip: tooltipAxis,
      legend: { data: [data.names.received, data.names.closure_rate, data.names.satisfaction_rate] },
      grid: { left: horizontal ? 150 : 50, right: 50, bottom: horizontal ? 30 : 90, containLabel: false },
      xAxis: horizontal
        ? [valueAxis, { type: "value", name: data.rate_axis, nameLocation: "middle", nameGap: 24, min: 0, max: 100, position: "top", splitLine: { show: false } }]
        : categoryAxis,
      yAxis: horizontal
        ? categoryAxis
        // The right axis's title runs leftwards from the axis, inside the chart, never past its edge.
        : [valueAxis, { type: "value", name: data.rate_axis, nameTextStyle: { align: "right" }, min: 0, max: 100, splitLine: { show: false } }],
      series: [
        { name: data.names.received, type: "bar", data: series.received },
        horizontal
          ? { name: data.names.closure_rate, type: "scatter", xAxisIndex: 1, data: series.closure_rate }
          : { name: data.names.closure_rate, type: "line", yAxisIndex: 1, data: series.closure_rate, connectNulls: true },
        horizontal
          ? { name: data.names.satisfaction_rate, type: "scatter", xAxisIndex: 1, data: series.satisfaction_rate }
          : { name: data.names.satisfaction_rate, type: "line", yAxisIndex: 1, data: series.satisfaction_rate, connectNulls: true }
      ]
    };
  }

  var month = data.month;
  make("chart-month", barWithRates(month, false), month.received.some(function (v) { return v > 0; }));

  var channel = data.channel;
  make("chart-channel", {
    tooltip: { trigger: "item", formatter: "{b}：{c}（{d}%）" },
    legend: { type: "scroll", bottom: 0 },
    series: [{
      name: data.names.received,
      type: "pie",
      radius: ["35%", "65%"],
      data: channel.labels.map(function (label, i) { return { name: label, value: channel.received[i] }; })
    }]
  }, channel.labels.length > 0);

  make("chart-unit", barWithRates(data.unit, true), data.unit.labels.length > 0);
  make("chart-category", barWithRates(data.category, true), data.category.labels.length > 0);

  window.addEventListener("resize", function () { charts.forEach(function (c) { c.resize(); }); });
  window.huyingDashboard = { charts: charts, percent: percent };
})();
