//! "Merge with…": profiles that look like this one (best first) and a search by name; the
//! one picked is folded into this profile (`POST /api/profiles/{id}/merge`).

use super::picker::ProfilePicker;
use super::{rest, Shared};
use crate::components::confirm;
use crate::i18n::tr;
use crate::model::{MergeRequest, Profile, ProfileRef, Suggestions};
use leptos::{prelude::*, task::spawn_local};

/// A similarity as a whole percent, e.g. `87%`.
pub fn percent(similarity: f32) -> String {
    format!("{:.0}%", (similarity.clamp(-1.0, 1.0) * 100.0))
}

/// The merge panel, closed until "Merge with…" is pressed.
#[component]
pub fn MergePanel(
    shared: Shared,
    suggestions: LocalResource<Result<Suggestions, String>>,
) -> impl IntoView {
    let i18n = shared.i18n;
    let open = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let merge = Callback::new(move |other: ProfileRef| {
        let (lang, t) = (i18n.lang_untracked(), i18n.t_untracked());
        let name = other
            .full_name
            .clone()
            .unwrap_or_else(|| t.the_unnamed_profile.into());
        if !confirm(&(t.merge_confirm)(&name)) {
            return;
        }
        busy.set(true);
        let url = format!("/api/profiles/{}/merge", shared.id.get_untracked());
        spawn_local(async move {
            let body = MergeRequest {
                profiles: vec![other.id],
            };
            let answer = rest::send::<Profile>(lang, "POST", &url, Some(&body)).await;
            // Before anything that may remove this view (and the signal with it).
            busy.try_set(false);
            match answer {
                Ok(_) => {
                    open.try_set(false);
                    shared.changed((t.merged)(&name), None);
                }
                Err(err) => shared.failed(t.merge_failed, err),
            }
        });
    });
    let candidates = move || {
        Suspend::new(async move {
            let (list, skipped, model) = match suggestions.await {
                Ok(s) => (s.profiles, s.skipped_other_model, s.model),
                Err(err) => return view! { <p class="field-error">{err}</p> }.into_any(),
            };
            // Faces another model made are never compared: say so.
            let other_model = (skipped > 0).then(|| {
                view! {
                    <p class="hint" data-testid="other-model">
                        {move || (i18n.t().faces_other_model)(skipped as u64, &model)}
                    </p>
                }
            });
            if list.is_empty() {
                return view! {
                    {other_model}
                    <p class="hint">{tr!(i18n, no_lookalike_profile)}</p>
                }
                .into_any();
            }
            let items = list.into_iter().map(|s| {
                let p = s.profile;
                let name = p.full_name.clone().unwrap_or_else(|| i18n.t_untracked().unnamed.into());
                let picked = p.clone();
                view! {
                    <li class="pick" data-testid="merge-candidate" data-id=p.id.clone()>
                        <img src=p.crop_url.clone() alt="" width="32" height="32" loading="lazy"/>
                        <a class="pick-name" href=format!("/profiles/{}", p.id)>{name}</a>
                        <span class="meta" title=tr!(i18n, face_similarity)>{percent(s.similarity)}</span>
                        <button type="button" class="btn btn-small" data-testid="merge-candidate-button"
                            disabled=move || busy.get() on:click=move |_| merge.run(picked.clone())>{tr!(i18n, merge)}</button>
                    </li>
                }
            }).collect_view();
            view! { {other_model} <ul class="picks">{items}</ul> }.into_any()
        })
    };
    view! {
        <section class="card side-card" data-testid="merge-panel">
            <div class="side-head">
                <h2>{tr!(i18n, same_person)}</h2>
                <button type="button" class="btn btn-small" data-testid="merge-with"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| open.update(|o| *o = !*o)>{tr!(i18n, merge_with)}</button>
            </div>
            <Show when=move || open.get()>
                <p class="hint">{tr!(i18n, lookalike_profiles)}</p>
                <Transition fallback=move || view! { <p class="hint">{tr!(i18n, looking_for_lookalikes)}</p> }>
                    {candidates}
                </Transition>
                <p class="hint">{tr!(i18n, or_by_name)}</p>
                <ProfilePicker exclude=shared.id.get_untracked() action=|t| t.merge on_pick=merge busy/>
            </Show>
        </section>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    #[test]
    fn similarity_reads_as_percent() {
        assert_eq!(super::percent(0.873), "87%");
        assert_eq!(super::percent(1.2), "100%");
    }
}
