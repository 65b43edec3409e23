//! When the wasm traps (a panic in the release build is a bare `unreachable`), the console cannot run any
//! more of its own code safely; plain JavaScript, installed at start, puts a message with a Reload button in
//! the console's place instead of a page that silently stops answering.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(inline_js = r#"
export function dc_on_trap(root, title, text, reload) {
  const show = (err) => {
    if (!(err instanceof WebAssembly.RuntimeError) || !root.isConnected || root.querySelector('.dc-crash')) return;
    const app = document.createElement('div');
    app.className = 'dc-app dc-crash';
    const card = document.createElement('div');
    card.className = 'dc-error';
    card.setAttribute('role', 'alert');
    const h = document.createElement('h2');
    h.textContent = title;
    const p = document.createElement('p');
    p.textContent = text;
    const b = document.createElement('button');
    b.type = 'button';
    b.className = 'dc-button dc-button--primary';
    b.textContent = reload;
    b.addEventListener('click', () => location.reload());
    card.append(h, p, b);
    app.append(card);
    root.replaceChildren(app);
    b.focus();
  };
  const onError = (e) => show(e.error);
  const onRejection = (e) => show(e.reason);
  addEventListener('error', onError);
  addEventListener('unhandledrejection', onRejection);
  return () => {
    removeEventListener('error', onError);
    removeEventListener('unhandledrejection', onRejection);
  };
}
"#)]
extern "C" {
    /// Installs the handlers; gives the function that removes them.
    fn dc_on_trap(root: &web_sys::Element, title: &str, text: &str, reload: &str) -> js_sys::Function;
}

/// Watches for a trap of the wasm for the console mounted at `root` (until the current owner goes).
pub fn watch(root: &web_sys::Element) {
    use crate::i18n::{t, T};
    let remove = dc_on_trap(root, t(T::CrashTitle), t(T::CrashText), t(T::Reload));
    let remove = send_wrapper::SendWrapper::new(remove);
    leptos::prelude::on_cleanup(move || {
        let _ = remove.call0(&JsValue::NULL);
    });
}

/// Panics: for the test that proves a trap is shown (`tests/e2e`), never called by the console.
#[wasm_bindgen]
pub fn __disk_console_trap_for_tests() {
    panic!("a deliberate trap for the crash view test"); // i18n: not shown
}
