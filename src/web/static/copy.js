// Copy buttons: shown only when JavaScript runs; the field stays selectable without it.
for (const button of document.querySelectorAll("button[data-copy-target]")) {
  const id = button.getAttribute("data-copy-target");
  const field = document.getElementById(id);
  const status = document.querySelector(`[data-copy-status="${id}"]`);
  if (!field || !navigator.clipboard) continue;
  const label = button.textContent;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = button.getAttribute("data-copied-label") || label;
      if (status) status.textContent = button.textContent;
      setTimeout(() => {
        button.textContent = label;
      }, 2000);
    } catch {
      field.focus();
      field.select();
    }
  });
}
