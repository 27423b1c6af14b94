// The calibration page: files dropped or pasted anywhere on its form, or
// text pasted outside its fields, go to the benchmark's or the power log's
// box by what they hold (JSON is a benchmark, anything else a power log).
// Without this script the file boxes and text boxes work as they are.
(function () {
  var names = { bench: "none", power: "none" };

  function isBenchmark(text) {
    return /^[\ufeff\s]*[[{]/.test(text);
  }

  function place(name, text) {
    var slot = isBenchmark(text) ? "bench" : "power";
    document.getElementById(slot + "-text").value = text;
    // The text stands in for any file chosen before: a file would win.
    document.getElementById(slot + "-file").value = "";
    document.getElementById("paste-boxes").open = true;
    names[slot] = name;
    document.getElementById("measurements-chosen").textContent =
      "Benchmark: " + names.bench + ". Power log: " + names.power + ".";
  }

  function take(files) {
    if (!files || files.length === 0) return false;
    Array.prototype.forEach.call(files, function (file) {
      file.text().then(function (text) {
        place(file.name, text);
      });
    });
    return true;
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("calibrate-form");
    if (!form) return;
    var onFileBox = function (event) {
      return event.target.type === "file";
    };
    form.addEventListener("dragover", function (event) {
      if (!onFileBox(event)) event.preventDefault();
    });
    form.addEventListener("drop", function (event) {
      if (onFileBox(event)) return; // the browser's own drop onto the box
      if (event.dataTransfer && take(event.dataTransfer.files)) event.preventDefault();
    });
    form.addEventListener("paste", function (event) {
      var target = event.target;
      if (target.tagName === "INPUT" || target.tagName === "TEXTAREA") return;
      var data = event.clipboardData;
      if (!data) return;
      event.preventDefault();
      if (!take(data.files)) {
        var text = data.getData("text");
        if (text.trim()) place("pasted text", text);
      }
    });
  });
})();
