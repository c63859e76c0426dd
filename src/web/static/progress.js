// Sync progress bar: follows the run through server-sent events and reloads once it has ended,
// so the page shows the final counts. Without JavaScript a link reloads the page instead.
for (const box of document.querySelectorAll("[data-sync-events]")) {
  const bar = box.querySelector("progress");
  const statusText = box.querySelector('[data-role="status"]');
  const countText = box.querySelector('[data-role="count"]');
  const template = box.getAttribute("data-label-percent") || "{percent}%";
  const labels = JSON.parse(box.getAttribute("data-status-labels") || "{}");
  const events = new EventSource(box.getAttribute("data-sync-events"));
  events.addEventListener("progress", (event) => {
    const run = JSON.parse(event.data);
    const total = Math.max(run.total, run.done, 1);
    bar.max = total;
    bar.value = run.done;
    if (statusText) statusText.textContent = labels[run.status] || run.status;
    const percent = run.status === "succeeded" ? 100 : Math.floor((run.done / total) * 100);
    if (countText) countText.textContent = template.replace("{percent}", String(percent));
    if (run.status === "succeeded" || run.status === "failed") {
      events.close();
      box.setAttribute("data-finished", run.status);
      setTimeout(() => window.location.reload(), 1500);
    }
  });
  events.addEventListener("error", () => {
    // The stream ends when the run does; a dropped connection is retried by EventSource itself.
  });
}
