//! Where the photo to search with is dropped or chosen.

use super::request::Photo;
use crate::i18n::{tr, use_i18n};
use leptos::{ev, html, prelude::*};

/// The image types the server reads.
const ACCEPT: &str = "image/jpeg,image/png,image/webp,image/bmp";

#[cfg(feature = "hydrate")]
mod object_url {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen]
    extern "C" {
        /// `URL.createObjectURL(blob)`.
        #[wasm_bindgen(js_namespace = URL, js_name = createObjectURL, catch)]
        pub fn create(blob: &web_sys::Blob) -> Result<String, JsValue>;
        /// `URL.revokeObjectURL(url)`.
        #[wasm_bindgen(js_namespace = URL, js_name = revokeObjectURL)]
        pub fn revoke(url: &str);
    }
}

/// Let the browser free a photo that is no longer shown.
pub fn forget(photo: &Photo) {
    #[cfg(feature = "hydrate")]
    object_url::revoke(&photo.url);
    #[cfg(not(feature = "hydrate"))]
    let _ = photo;
}

/// Drop a photo or choose one; `on_photo` gets it with a URL for showing it.
#[component]
pub fn PhotoDrop(
    /// Called with each photo chosen.
    on_photo: Callback<Photo>,
    /// True while a search runs.
    busy: Signal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    let input = NodeRef::<html::Input>::new();
    // dragenter/dragleave also fire for children: count them to know when we really left.
    let drag_depth = RwSignal::new(0_i32);
    #[cfg(not(feature = "hydrate"))]
    let _ = on_photo;

    #[cfg(feature = "hydrate")]
    let take = move |list: Option<web_sys::FileList>| {
        let Some(file) = list.and_then(|l| l.get(0)) else {
            return;
        };
        if let Ok(url) = object_url::create(&file) {
            on_photo.run(Photo {
                file: send_wrapper::SendWrapper::new(file),
                url,
            });
        }
    };
    crate::components::keep_drops_on_page();

    let on_change = move |_: ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = input.get() {
            let files = el.files();
            take(files);
            el.set_value(""); // choosing the same photo again must fire `change` again
        }
    };
    let on_drop = move |e: ev::DragEvent| {
        e.prevent_default();
        drag_depth.set(0);
        #[cfg(feature = "hydrate")]
        take(e.data_transfer().and_then(|dt| dt.files()));
    };

    let on_drag_enter = move |e: ev::DragEvent| {
        e.prevent_default();
        drag_depth.update(|d| *d += 1);
    };
    let on_drag_leave = move |_: ev::DragEvent| drag_depth.update(|d| *d = (*d - 1).max(0));
    let dragging = move || drag_depth.get() > 0;

    view! {
        <div class="dropzone dropzone-compact" class:dragover=dragging
            class:busy=busy data-testid="search-drop"
            on:dragenter=on_drag_enter
            on:dragover=|e: ev::DragEvent| e.prevent_default()
            on:dragleave=on_drag_leave
            on:drop=on_drop>
            <p class="dropzone-title">{tr!(i18n, drop_photo)}</p>
            <p class="dropzone-hint">{tr!(i18n, drop_photo_hint)}</p>
            <label class="btn btn-primary" for="search-input">{tr!(i18n, choose_photo)}</label>
            <input id="search-input" class="sr-only" type="file" name="photo" accept=ACCEPT
                data-testid="search-input" node_ref=input on:change=on_change/>
        </div>
    }
    .into_any()
}
