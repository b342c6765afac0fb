//! The browser half. Pages are server-rendered; in islands mode only the interactive parts
//! (`#[island]` components in `app`) hydrate, each on its own. Everything else lives in `app`.

// Links the islands of `app`: each is a wasm export that Leptos' island script calls.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Tells the browser tests (and curious people) that the page is now interactive.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
