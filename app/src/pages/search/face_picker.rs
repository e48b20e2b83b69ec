//! The chosen photo with a box around every face found in it; clicking a box searches for
//! that face.

use crate::model::PhotoFace;
use leptos::{html, prelude::*};

/// `N faces found` and what to do about it.
fn caption(faces: usize, chosen: Option<usize>) -> String {
    match (faces, chosen) {
        (0, _) => String::new(),
        (1, _) => "The face searched for is outlined.".into(),
        (n, Some(i)) => format!(
            "{n} faces found; searching for face {}. Click another box to search for it.",
            i + 1
        ),
        (n, None) => format!("{n} faces found. Click a box to search for that face."),
    }
}

/// The photo and its face boxes. The boxes live in an SVG whose `viewBox` is the photo's
/// size in pixels, so they follow the photo's displayed size without any arithmetic.
#[component]
pub fn FacePicker(
    /// `blob:` URL of the photo.
    url: String,
    /// Faces found in it, largest first, in photo pixels.
    faces: RwSignal<Vec<PhotoFace>>,
    /// The face searched for.
    chosen: RwSignal<Option<usize>>,
    /// The photo's size in pixels, once it has loaded.
    size: RwSignal<Option<(f64, f64)>>,
    /// Called with the index of a face clicked.
    on_pick: Callback<usize>,
    /// True while a search runs.
    busy: Signal<bool>,
) -> impl IntoView {
    let img = NodeRef::<html::Img>::new();
    let on_load = move |_| {
        if let Some(el) = img.get_untracked() {
            let (w, h) = (el.natural_width(), el.natural_height());
            if w > 0 && h > 0 {
                size.set(Some((w.into(), h.into())));
            }
        }
    };
    let boxes = move || {
        let (w, h) = size.get()?;
        let drawn = faces
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, f)| {
                let pick = move |_| {
                    if !busy.get_untracked() && chosen.get_untracked() != Some(i) {
                        on_pick.run(i);
                    }
                };
                let is_chosen = move || chosen.get() == Some(i);
                view! {
                    // The <g> makes the macro create an SVG `title`, not an HTML one.
                    <g>
                        <rect class="face-box" class:chosen=is_chosen
                            data-testid="face-box" data-index=i.to_string()
                            x=f.x.to_string() y=f.y.to_string() width=f.w.to_string() height=f.h.to_string()
                            vector-effect="non-scaling-stroke"
                            on:click=pick>
                            <title>{format!("Face {}", i + 1)}</title>
                        </rect>
                    </g>
                }
            })
            .collect_view();
        let several = move || faces.with(Vec::len) > 1;
        Some(view! {
            <svg class="face-boxes" viewBox=format!("0 0 {w} {h}") preserveAspectRatio="none"
                class:several=several>{drawn}</svg>
        })
    };

    view! {
        <figure class="face-picker" data-testid="face-picker">
            <div class="face-picker-photo">
                <img src=url alt="The photo searched with" node_ref=img on:load=on_load
                    data-testid="search-photo"/>
                {boxes}
            </div>
            <figcaption class="hint">{move || caption(faces.with(Vec::len), chosen.get())}</figcaption>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::caption;

    #[test]
    fn the_caption_says_what_to_click() {
        assert_eq!(caption(0, None), "");
        assert!(caption(3, Some(0)).starts_with("3 faces found; searching for face 1."));
        assert!(caption(2, None).contains("Click a box"));
    }
}
