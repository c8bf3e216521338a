// Optional: the chat works without this. It leaves quickly without leaving this page in
// the browser's history, and takes a screen reader to the newest message.
(function () {
  "use strict";
  var form = document.querySelector("form.leave");
  if (form) {
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      try { navigator.sendBeacon("/leave", new FormData(form)); } catch (e) { /* leaving matters more */ }
      window.location.replace(form.getAttribute("data-leave-url"));
    });
  }
  var newest = document.getElementById("newest");
  if (newest) { newest.focus({ preventScroll: false }); }
})();
