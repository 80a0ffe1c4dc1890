// A form with the proof-of-work widget (templates/macros/proof_of_work.html) waits for the
// widget before it is sent: a person who presses the button at once (the access code already
// filled in from the poster's QR link) is not asked to press it again. Without the widget's
// answer after 10 seconds the form goes anyway; the server's no-JavaScript path takes it then.
(function () {
  "use strict";
  document.querySelectorAll("altcha-widget").forEach(function (widget) {
    var form = widget.closest("form");
    if (!form) { return; }
    var submitter = null, waited = 0, timer = null;
    function solved() {
      var field = form.querySelector("input[name=altcha]");
      return Boolean(field && field.value);
    }
    function send() {
      window.clearInterval(timer);
      timer = null;
      form.dataset.powSend = "yes";
      if (submitter) { form.requestSubmit(submitter); } else { form.requestSubmit(); }
    }
    form.addEventListener("submit", function (event) {
      if (solved() || form.dataset.powSend === "yes") { return; }
      event.preventDefault();
      if (timer !== null) { return; }
      submitter = event.submitter || null;
      form.setAttribute("aria-busy", "true");
      waited = 0;
      timer = window.setInterval(function () {
        waited += 100;
        if (solved() || waited >= 10000) { send(); }
      }, 100);
    });
  });
}());
