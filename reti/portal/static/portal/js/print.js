// A button marked data-print prints the page: the CSP refuses inline onclick handlers.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-print]");
  if (button) {
    window.print();
  }
});
