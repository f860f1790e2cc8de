// The console's only script: refreshes each region marked data-refresh from its URL every
// two seconds while the page is visible, unless paused or the keyboard focus is inside it.

const INTERVAL_MS = 2000;

const refresh = async (region) => {
  if (
    document.hidden ||
    region.dataset.paused === "true" ||
    region.contains(document.activeElement)
  )
    return;
  try {
    const response = await fetch(region.dataset.refresh, { headers: { accept: "text/html" } });
    if (response.ok) {
      region.innerHTML = await response.text();
      region.dataset.refreshedAt = new Date().toISOString();
    }
  } catch {
    // The console stopped or is restarting: keep what is shown and try again.
  }
};

const pauseButton = (region) => {
  const button = document.createElement("button");
  button.type = "button";
  button.className = "pause";
  button.setAttribute("aria-pressed", "false");
  button.textContent = "Pause updates";
  button.addEventListener("click", () => {
    const paused = region.dataset.paused !== "true";
    region.dataset.paused = String(paused);
    button.setAttribute("aria-pressed", String(paused));
    button.textContent = paused ? "Resume updates" : "Pause updates";
  });
  return button;
};

for (const region of document.querySelectorAll("[data-refresh]")) {
  region.before(pauseButton(region));
  setInterval(() => refresh(region), INTERVAL_MS);
}
