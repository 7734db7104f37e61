(function () {
  /* A claim's card where the reader is: a tap or click on a claim's highlighted words, its figure or
     its number opens the claim's entry (from "Claims in this article") in a dialog over the text,
     so the reader keeps their place. The dialog holds the focus while open; Escape, the Close
     button or a tap outside it closes it, and the focus goes back to what opened it. Without this
     script each figure and number is a link to the entry in the list, as before. */
  var dialog = document.getElementById("claim-card");
  if (!dialog || typeof dialog.showModal !== "function") return;
  var body = dialog.querySelector(".claim-card-body");
  var heading = dialog.querySelector("#claim-card-heading");
  var more = dialog.querySelector(".claim-card-more");
  var opener = null;

  function open(claimId, from) {
    var entry = document.getElementById("about-" + claimId);
    if (!entry) return false;
    var card = entry.cloneNode(true);
    /* The copy must not take the entry's ids: links and addresses lead to the list. */
    card.removeAttribute("id");
    Array.prototype.forEach.call(card.querySelectorAll("[id]"), function (el) { el.removeAttribute("id"); });
    body.replaceChildren.apply(body, Array.prototype.slice.call(card.childNodes));
    heading.textContent = "Claim " + claimId;
    more.setAttribute("href", "#about-" + claimId);
    dialog.className = "claim-card " + card.className;
    opener = from;
    dialog.showModal();
    dialog.querySelector(".claim-card-close").focus();
    return true;
  }

  document.addEventListener("click", function (event) {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var link = event.target.closest("a.claim-ref, a.figure-link");
    var mark = link ? null : event.target.closest("mark.claim");
    if (!link && !mark) return;
    if (mark && event.target.closest("a")) return;  /* another link inside a quote goes where it says */
    if (mark && event.target.closest(".excluded")) return;  /* a number set aside in a quote shows its own reason */
    var claimId = link ? link.getAttribute("href").replace("#about-", "") : mark.getAttribute("data-claim");
    if (open(claimId, link || mark)) event.preventDefault();
  });
  dialog.querySelector(".claim-card-close").addEventListener("click", function () { dialog.close(); });
  /* A set-aside number's reason shows while it has the focus (a tap gives it); Escape puts it away. */
  document.addEventListener("keydown", function (event) {
    var focused = document.activeElement;
    if (event.key === "Escape" && focused && focused.matches(".excluded")) focused.blur();
  });
  dialog.addEventListener("click", function (event) {
    /* A link in the card (to the list, the sentence, a check) closes it and goes where it says. */
    if (event.target.closest("a[href]")) { opener = null; dialog.close(); return; }
    /* A tap on the backdrop, outside the card's box, closes it, as a phone's sheet does. */
    if (event.target !== dialog) return;
    var box = dialog.getBoundingClientRect();
    if (event.clientX < box.left || event.clientX > box.right || event.clientY < box.top || event.clientY > box.bottom) dialog.close();
  });
  dialog.addEventListener("close", function () {
    body.replaceChildren();
    /* A highlight is not focusable: the focus goes to its figure's link, or to its number. */
    var back = opener && (opener.matches("a[href]") ? opener : opener.querySelector("a[href]") ||
      document.querySelector('a.claim-ref[href="#about-' + opener.getAttribute("data-claim") + '"]'));
    if (back) back.focus();
    opener = null;
  });
})();
