//! One row of the video table.

use super::status_badge::StatusBadge;
use super::{confirm, display, error_text, progress_bar::ProgressBar, sparkline::Sparkline};
use crate::api::{cancel_video, delete_video, pause_video, resume_video};
use crate::i18n::{tr, use_i18n, I18n, Texts};
use crate::model::{Video, VideoStatus};
use leptos::{prelude::*, task::spawn_local};
use std::future::Future;

/// Picks, from a language's texts, the message of a failed action on a named video.
type FailedText = fn(&Texts) -> fn(&str, &str) -> String;

/// The video a row's status buttons act on, and where their outcome goes.
#[derive(Clone)]
struct StatusAction {
    id: String,
    name: String,
    busy: RwSignal<bool>,
    on_change: Callback<Video>,
    on_error: Callback<String>,
    i18n: I18n,
}

impl StatusAction {
    /// Calls `call` (a server function changing the status) with the video's id in the
    /// background, the row busy meanwhile: the video it returns goes to `on_change`, a
    /// failure to `on_error` as "Could not {verb} {name}: …" (`failed` makes that text).
    fn run<Fut>(&self, failed: FailedText, call: impl FnOnce(String) -> Fut + 'static)
    where
        Fut: Future<Output = Result<Video, ServerFnError>> + 'static,
    {
        self.busy.set(true);
        let this = self.clone();
        spawn_local(async move {
            match call(this.id.clone()).await {
                Ok(video) => this.on_change.run(video),
                Err(err) => {
                    let lang = this.i18n.lang_untracked();
                    let reason = error_text(lang, &err);
                    this.on_error.run(failed(lang.texts())(&this.name, &reason))
                }
            }
            this.busy.try_set(false);
        });
    }
}

/// A video's name, status, progress, counts and actions. The row stays mounted while the
/// video changes (it is keyed by id) and re-reads its own entry of `videos`.
#[component]
pub fn VideoRow(
    /// The video as it was when the row was created.
    video: Video,
    /// The whole list, to follow changes of this video.
    #[prop(into)]
    videos: Signal<Vec<Video>>,
    /// Called with the video returned by a successful cancel, pause or resume.
    on_change: Callback<Video>,
    /// Called with the id after a successful delete.
    on_removed: Callback<String>,
    /// Called with a message when an action fails.
    on_error: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = video.id.clone();
    let name = video.filename.clone();
    let current = Memo::new({
        let id = id.clone();
        move |prev: Option<&Video>| {
            videos
                .with(|list| list.iter().find(|v| v.id == id).cloned())
                .or_else(|| prev.cloned())
                .unwrap_or_else(|| video.clone())
        }
    });
    let status = Signal::derive(move || current.with(|v| v.status));
    let busy = RwSignal::new(false);

    let action = StatusAction {
        id: id.clone(),
        name: name.clone(),
        busy,
        on_change,
        on_error,
        i18n,
    };
    let cancel = {
        let action = action.clone();
        move |_| action.run(|t| t.cancel_failed, cancel_video)
    };
    let pause = {
        let action = action.clone();
        move |_| action.run(|t| t.pause_failed, pause_video)
    };
    let resume = move |_| action.run(|t| t.resume_failed, resume_video);
    let delete = {
        let (id, name) = (id.clone(), name.clone());
        move |_| {
            if !confirm(&(i18n.t_untracked().delete_video_confirm)(&name)) {
                return;
            }
            busy.set(true);
            let (id, name) = (id.clone(), name.clone());
            spawn_local(async move {
                match delete_video(id.clone()).await {
                    Ok(()) => on_removed.run(id),
                    Err(err) => {
                        let lang = i18n.lang_untracked();
                        on_error.run((lang.texts().delete_failed)(&name, &error_text(lang, &err)))
                    }
                }
                busy.try_set(false);
            });
        }
    };

    view! {
        <tr
            data-testid="video-row"
            data-id=id.clone()
            data-status=move || status.get().as_str()
            class=move || format!("row-{}", status.get().as_str())
        >
            <td class="cell-file" data-label=tr!(i18n, col_file)>
                <a class="filename" href=format!("/videos/{id}") title=name.clone()>{name.clone()}</a>
                <div class="meta">
                    <span>{move || display::uploaded_at(i18n.lang(), &current.with_untracked(|v| v.created_at.clone()))}</span>
                    {current.with_untracked(|v| v.create_profiles)
                        .then(|| view! { <span class="tag" title=tr!(i18n, tag_profiles_title)>{tr!(i18n, tag_profiles)}</span> })}
                </div>
                <Sparkline values=Signal::derive(move || current.with(|v| v.sparkline.clone()))/>
                {move || current.with(|v| v.error.clone()).map(|error| view! {
                    <div class="row-error" data-testid="error">{error}</div>
                })}
            </td>
            <td data-label=tr!(i18n, col_status)><StatusBadge status/></td>
            <td data-label=tr!(i18n, col_progress) class="col-progress">
                <ProgressBar value=Signal::derive(move || current.with(|v| v.progress)) status label=name.clone()/>
            </td>
            <td class="num strong" data-label=tr!(i18n, col_faces) data-testid="faces-total"
                data-value=move || current.with(|v| v.faces_total)>
                {move || current.with(|v| display::count(i18n.lang(), v.faces_total))}
            </td>
            <td class="num" data-label=tr!(i18n, col_max_faces) data-testid="max-faces">
                {move || current.with(|v| display::count(i18n.lang(), v.max_faces_in_frame))}
            </td>
            <td class="num" data-label=tr!(i18n, col_people) data-testid="people-count"
                data-value=move || current.with(|v| v.people_count.map(|n| n.to_string()).unwrap_or_default())
                title=move || current.with(|v| {
                    let t = i18n.t();
                    match (v.people_count, v.status.is_final()) {
                        (None, _) => t.people_unknown,
                        (Some(_), false) => t.people_so_far,
                        (Some(_), true) => t.people_distinct,
                    }
                })>
                {move || current.with(|v| display::people(i18n.lang(), v))}
            </td>
            <td class="num" data-label=tr!(i18n, col_frames) data-testid="frames">
                {move || current.with(|v| display::frames(i18n.lang(), v))}
            </td>
            <td class="num" data-label=tr!(i18n, col_speed) data-testid="speed">
                <div class="stack">
                    <span>{move || current.with(|v| display::speed(i18n.lang(), v)).unwrap_or_else(|| display::UNKNOWN.into())}</span>
                    {move || current.with(|v| display::time_left(i18n.lang(), v)).map(|left| view! { <span class="meta">{left}</span> })}
                </div>
            </td>
            <td class="cell-info" data-label=tr!(i18n, col_video) data-testid="video-info"
                title=move || current.with(|v| display::video_info(i18n.lang(), v))>
                <div class="stack">
                    <span>{move || current.with(display::resolution).unwrap_or_else(|| display::UNKNOWN.into())}</span>
                    {move || current.with(|v| display::timing(i18n.lang(), v)).map(|t| view! { <span class="meta">{t}</span> })}
                </div>
            </td>
            <td class="col-actions">
                <div class="actions">
                    <Show when=move || matches!(status.get(), VideoStatus::Queued | VideoStatus::Processing)>
                        <button type="button" class="btn btn-small" data-testid="pause"
                            title=tr!(i18n, pause_title)
                            disabled=move || busy.get() on:click=pause.clone()>{tr!(i18n, pause)}</button>
                    </Show>
                    <Show when=move || status.get() == VideoStatus::Paused>
                        <button type="button" class="btn btn-small" data-testid="resume"
                            disabled=move || busy.get() on:click=resume.clone()>{tr!(i18n, resume)}</button>
                    </Show>
                    <Show when=move || !status.get().is_final()>
                        <button type="button" class="btn btn-small" data-testid="cancel"
                            disabled=move || busy.get() on:click=cancel.clone()>{tr!(i18n, cancel)}</button>
                    </Show>
                    <button type="button" class="btn btn-small btn-danger" data-testid="delete"
                        disabled=move || busy.get() on:click=delete>{tr!(i18n, delete)}</button>
                </div>
            </td>
        </tr>
    }
    .into_any()
}
