(function () {
  /* Without this script the button stays hidden, and so does the code. */
  var button = document.querySelector("button.code-toggle");
  button.hidden = false;
  button.addEventListener("click", function () {
    var shown = document.body.classList.toggle("show-code");
    button.setAttribute("aria-pressed", shown ? "true" : "false");
    button.textContent = shown ? "Hide code" : "Show code";
  });
})();
