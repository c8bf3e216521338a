// Optional: the chat works without this. It leaves quickly without leaving this page in
// the browser's history, and puts the focus at the start of the new message (or, after a
// disclosure, at the start of the reply with the helplines), not at the bottom of the page.
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
  // Otherwise the start of the new message: a screen reader reads from there, and a
  // sighted person sees it at the top of the screen (the progress just above stays in view
  // on a short page).
  var start = document.getElementById("new-start");
  if (start) {
    start.focus({ preventScroll: true });
    var top = start.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight / 3) { start.scrollIntoView({ block: "start" }); }
  }
})();
