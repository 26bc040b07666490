// Refreshes a background job's progress bar and message until it finishes.
(function () {
  const box = document.getElementById("job");
  if (!box || box.dataset.state === "done" || box.dataset.state === "failed") return;
  const bar = box.querySelector("progress");
  const msg = box.querySelector(".message");
  async function poll() {
    const r = await fetch(box.dataset.url, { credentials: "same-origin" });
    if (!r.ok) return;
    const job = await r.json();
    msg.textContent = job.message;
    if (job.total) { bar.max = job.total; bar.value = job.done; }
    if (job.state === "done" || job.state === "failed") { window.location.reload(); return; }
    setTimeout(poll, 1000);
  }
  setTimeout(poll, 1000);
})();
