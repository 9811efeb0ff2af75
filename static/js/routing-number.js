// Checks an ABA routing number as it is typed (the checksum 3-7-1), and says so next to the field.
// The server checks it again; this only helps a merchant catch a typo before saving.
(function () {
  "use strict";
  function valid(digits) {
    if (!/^[0-9]{9}$/.test(digits)) { return false; }
    var weights = [3, 7, 1, 3, 7, 1, 3, 7, 1];
    var total = 0;
    for (var i = 0; i < 9; i += 1) { total += weights[i] * Number(digits[i]); }
    return total % 10 === 0;
  }
  function attach(input) {
    var status = document.getElementById("aba-status");
    if (!status) { return; }
    input.addEventListener("input", function () {
      var digits = input.value.replace(/[\s-]/g, "");
      if (digits.length < 9) { status.textContent = ""; status.className = "aba-status"; return; }
      var ok = valid(digits);
      status.textContent = ok ? status.dataset.ok : status.dataset.bad;
      status.className = "aba-status " + (ok ? "aba-ok" : "aba-bad");
    });
  }
  document.querySelectorAll("input[data-aba]").forEach(attach);
}());
