// Optional: the chat works without this. It leaves quickly without leaving this page in
// the browser's history, and takes a screen reader to the newest message (or, after a
// disclosure, to the start of the reply with the helplines).
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
  // After a disclosure, the start of the reply with the helplines stays in view: it takes
  // focus, and the page scrolls only if it is not already on screen.
  var help = document.getElementById("help-start");
  if (help) {
    help.focus({ preventScroll: true });
    var box = help.getBoundingClientRect();
    if (box.top < 0 || box.top > window.innerHeight / 2) { help.scrollIntoView({ block: "start" }); }
    return;
  }
  var newest = document.getElementById("newest");
  if (newest) { newest.focus({ preventScroll: false }); }
})();
