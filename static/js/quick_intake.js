// Quick intake: rows pasted from a spreadsheet (tab-separated cells, one person per line) fill
// the table from the cell pasted into, across the columns in the table's order, adding rows
// as needed. Without JavaScript the form works with its fixed rows; nothing here is required.
"use strict";
(function () {
  var YES = ["1", "да", "д", "+", "x", "х", "yes", "y", "true", "истина", "v", "✓"];
  var NO = ["", "0", "нет", "н", "-", "no", "n", "false", "ложь"];

  function norm(text) {
    return text.trim().toLowerCase().replace(/ё/g, "е");
  }

  // "31.12.1990", "31/12/90" or "1990-12-31" as the date input's ISO value; null if not a date.
  function isoDate(text) {
    var value = text.trim();
    if (value === "") {
      return "";
    }
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
      return value;
    }
    var parts = value.match(/^(\d{1,2})[./-](\d{1,2})[./-](\d{2}|\d{4})$/);
    if (!parts) {
      return null;
    }
    var year = parts[3].length === 2 ? (Number(parts[3]) > 30 ? "19" : "20") + parts[3] : parts[3];
    var iso = year + "-" + parts[2].padStart(2, "0") + "-" + parts[1].padStart(2, "0");
    var date = new Date(iso + "T00:00:00Z");
    return isNaN(date) || date.toISOString().slice(0, 10) !== iso ? null : iso;
  }

  // An option matched by its value, its text, or a short start of its text if only one fits.
  function chooseOption(select, text) {
    var wanted = norm(text);
    if (wanted === "") {
      select.value = "";
      return true;
    }
    var options = Array.prototype.slice.call(select.options).filter(function (o) {
      return o.value !== "";
    });
    var found = options.filter(function (o) {
      return norm(o.value) === wanted || norm(o.text) === wanted;
    });
    if (found.length === 0 && wanted.length <= 3) {
      found = options.filter(function (o) {
        return norm(o.text).startsWith(wanted);
      });
    }
    if (found.length !== 1) {
      return false;
    }
    select.value = found[0].value;
    return true;
  }

  // Puts one cell's text into one input; false if the text cannot be read as that input's value.
  function fill(input, text) {
    if (input.type === "checkbox") {
      var answer = norm(text);
      if (YES.indexOf(answer) >= 0 || NO.indexOf(answer) >= 0) {
        input.checked = YES.indexOf(answer) >= 0;
        return true;
      }
      return false;
    }
    if (input.tagName === "SELECT") {
      return chooseOption(input, text);
    }
    if (input.type === "date") {
      var iso = isoDate(text);
      if (iso === null) {
        return false;
      }
      input.value = iso;
      return true;
    }
    input.value = text.trim();
    return true;
  }

  function columnLabel(input) {
    var label = input.labels && input.labels[0];
    if (!label) {
      return input.name;
    }
    var copy = label.cloneNode(true);
    copy.querySelectorAll(".visually-hidden").forEach(function (hidden) {
      hidden.remove();
    });
    return copy.textContent.trim();
  }

  function setUp(form) {
    var prefix = form.dataset.prefix;
    var total = form.querySelector("[name='" + prefix + "-TOTAL_FORMS']");
    var rowsBox = form.querySelector("[data-rows]");
    var template = form.querySelector("template[data-row-template]");
    var report = form.querySelector("[data-paste-report]");
    var maxRows = Number(form.dataset.maxRows);

    function rows() {
      return rowsBox.querySelectorAll("[data-row]");
    }

    function inputsOf(row) {
      return Array.prototype.slice.call(
        row.querySelectorAll(".qi-fields input, .qi-fields select")
      );
    }

    function addRow() {
      var index = rows().length;
      var html = template.innerHTML
        .replace(/__prefix__/g, String(index))
        .replace(/__number__/g, String(index + 1));
      rowsBox.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      return rows()[index];
    }

    form.addEventListener("paste", function (event) {
      var target = event.target;
      var startRow = target.closest("[data-row]");
      if (!startRow || !target.closest(".qi-fields") || !event.clipboardData) {
        return;
      }
      var text = event.clipboardData.getData("text/plain").replace(/\r\n?/g, "\n");
      if (text.indexOf("\t") < 0 && text.indexOf("\n") < 0) {
        return; // one value: the browser pastes it as usual
      }
      event.preventDefault();
      var lines = text.replace(/\n+$/, "").split("\n");
      var firstRow = Array.prototype.indexOf.call(rows(), startRow);
      var firstColumn = inputsOf(startRow).indexOf(target);
      var problems = [];
      var tooMany = false;
      lines.forEach(function (line, offset) {
        var index = firstRow + offset;
        if (index >= maxRows) {
          tooMany = true;
          return;
        }
        var row = index < rows().length ? rows()[index] : addRow();
        var inputs = inputsOf(row);
        line.split("\t").forEach(function (cell, column) {
          var input = inputs[firstColumn + column];
          if (input && !fill(input, cell)) {
            problems.push(
              form.dataset.notRecognised
                .replace("{row}", form.dataset.rowWord + " " + (index + 1))
                .replace("{column}", columnLabel(input))
                .replace("{value}", cell.trim())
            );
          }
        });
      });
      if (tooMany) {
        problems.push(form.dataset.tooMany);
      }
      report.textContent = problems.join(" ");
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-quick-intake]").forEach(setUp);
  });
})();
