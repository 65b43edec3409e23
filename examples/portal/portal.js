// The example portal: where the console comes from is given in the address (`?console=http://host:port`,
// and `&api=` for a separate API origin), so the same pages work against any deployment.
const params = new URLSearchParams(location.search);
const consoleOrigin = (params.get("console") || location.origin).replace(/\/$/, "");
const consoleBase = consoleOrigin + (params.get("base") || "");
const api = params.get("api");

// Anything the page's Content-Security-Policy blocked (the tests expect nothing).
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
});

// A log of the console's host events, as text (never as HTML).
const log = document.getElementById("events");
for (const type of ["snapshot-created", "snapshot-available", "snapshot-failed", "navigate"]) {
  document.addEventListener(`disk-console:${type}`, (e) => {
    const item = document.createElement("li");
    item.textContent = `${e.type} ${JSON.stringify(e.detail)}`;
    log?.append(item);
  });
}

// Way 1: an iframe pointing at the served console.
const frame = document.getElementById("console-frame");
if (frame) frame.src = `${consoleBase}/disks`;

// Ways 3a and 3b: the custom element and mount(), from the console's embed.js.
const elements = document.querySelectorAll("disk-console");
if (elements.length || document.getElementById("mount-slot")) {
  for (const el of elements) if (api) el.setAttribute("api-base", api);
  const { mount } = await import(`${consoleBase}/embed.js`);
  const slot = document.getElementById("mount-slot");
  let handle = null;
  const portal = {
    mounted: 0,
    mount(options = {}) {
      if (handle) return;
      handle = mount(slot, { ...(api ? { apiBase: api } : {}), ...options });
      portal.mounted += 1;
    },
    unmount() {
      handle?.unmount();
      handle?.free();
      handle = null;
    },
  };
  window.portal = portal;
  document.getElementById("mount")?.addEventListener("click", () => portal.mount());
  document.getElementById("unmount")?.addEventListener("click", () => portal.unmount());
  document.body.dataset.ready = "true";
}
