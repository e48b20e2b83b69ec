//! The chosen photo with a box around every face found in it; clicking a box searches for
//! that face.

use crate::i18n::{tr, use_i18n, Lang};
use crate::model::PhotoFace;
use leptos::{html, prelude::*};

/// `N faces found` and what to do about it.
fn caption(lang: Lang, faces: usize, chosen: Option<usize>) -> String {
    let t = lang.texts();
    match (faces, chosen) {
        (0, _) => String::new(),
        (1, _) => t.face_outlined.into(),
        (n, Some(i)) => (t.faces_found_chosen)(n, i + 1),
        (n, None) => (t.faces_found)(n),
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
    let i18n = use_i18n();
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
                            <title>{move || (i18n.t().face_n)(i + 1)}</title>
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
                <img src=url alt=tr!(i18n, photo_searched_with) node_ref=img on:load=on_load
                    data-testid="search-photo"/>
                {boxes}
            </div>
            <figcaption class="hint">{move || caption(i18n.lang(), faces.with(Vec::len), chosen.get())}</figcaption>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::caption;
    use crate::i18n::Lang;

    #[test]
    fn the_caption_says_what_to_click() {
        assert_eq!(caption(Lang::En, 0, None), "");
        assert!(caption(Lang::En, 3, Some(0)).starts_with("3 faces found; searching for face 1."));
        assert!(caption(Lang::En, 2, None).contains("Click a box"));
        assert!(caption(Lang::Ru, 5, None).starts_with("Найдено 5 лиц."));
    }
}
