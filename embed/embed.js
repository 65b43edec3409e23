// The Cloud Disk Console for host pages (portals). `cargo xtask build` writes this file into dist/ with the
// names of the built files filled in, so hosts load one stable URL:
//
//   <script type="module" src="/console/embed.js"></script>
//   <disk-console api-base="https://disk-api.example.com" region="cn-east-2" locale="zh-CN"></disk-console>
//
// or, from script: `const { mount } = await import("/console/embed.js");
//                   const handle = mount(element, { apiBase, defaultRegion, locale, theme }); handle.unmount();`
//
// Events (bubbling, composed): disk-console:snapshot-created, disk-console:snapshot-available,
// disk-console:snapshot-failed, disk-console:navigate; `event.detail` holds the snapshot or the route.

import init, { mount as mountInto } from "./__JS__";

const here = new URL(".", import.meta.url).href;
const stylesheet = new URL("./__CSS__", import.meta.url).href;
await init({ module_or_path: new URL("./__WASM__", import.meta.url) });

/** Mounts a console into `element`; returns a handle with `unmount()`. */
export function mount(element, options = {}) {
  return mountInto(element, { assetBase: here, stylesheet, ...options });
}

const ATTRIBUTES = {
  "api-base": "apiBase",
  region: "defaultRegion",
  regions: "regions",
  "base-path": "basePath",
  locale: "locale",
  theme: "theme",
  routing: "routing",
  path: "path",
  credentials: "credentials",
  "config-url": "configUrl",
};

/** `<disk-console>`: a console in its own shadow root, configured by its attributes. */
class DiskConsoleElement extends HTMLElement {
  static get observedAttributes() {
    return Object.keys(ATTRIBUTES);
  }

  connectedCallback() {
    this.#start();
  }

  disconnectedCallback() {
    this.#stop();
  }

  attributeChangedCallback() {
    if (this.isConnected && this.handle) {
      this.#stop();
      this.#start();
    }
  }

  #start() {
    if (this.handle) return;
    const root = this.shadowRoot ?? this.attachShadow({ mode: "open" });
    const container = document.createElement("div");
    container.className = "dc-host";
    root.replaceChildren(container);
    const options = { assetBase: here, stylesheet };
    for (const [attribute, key] of Object.entries(ATTRIBUTES)) {
      if (this.hasAttribute(attribute)) options[key] = this.getAttribute(attribute);
    }
    if (options.configUrl === "false") options.configUrl = false;
    this.handle = mountInto(container, options);
  }

  #stop() {
    this.handle?.unmount();
    this.handle?.free();
    this.handle = null;
    this.shadowRoot?.replaceChildren();
  }
}

if (!customElements.get("disk-console")) customElements.define("disk-console", DiskConsoleElement);
