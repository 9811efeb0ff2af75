// A revealed personal-data value leaves the page after its time: the text is removed from the DOM.
document.querySelectorAll("[data-reveal-seconds]").forEach(function (element) {
  var seconds = parseInt(element.getAttribute("data-reveal-seconds"), 10) || 30;
  window.setTimeout(function () {
    element.textContent = "Hidden again. Reveal it again if you still need it (that is recorded too).";
    element.classList.add("reveal-expired");
  }, seconds * 1000);
});
