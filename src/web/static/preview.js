// Live template preview: re-renders the preview on the server while the shop types (debounced).
// The server sanitises the result; without JavaScript the "Preview" button does the same.
const form = document.querySelector("form[data-preview-url]");
const target = document.querySelector("[data-preview]");
if (form && target) {
  let timer;
  let sequence = 0;
  const refresh = async () => {
    const mine = ++sequence;
    const body = new URLSearchParams(new FormData(form));
    try {
      const response = await fetch(form.getAttribute("data-preview-url"), {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
      });
      if (response.ok && mine === sequence) target.innerHTML = await response.text();
    } catch {
      // Offline or signed out: the preview keeps its last state.
    }
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
}
