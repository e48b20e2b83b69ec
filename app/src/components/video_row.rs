//! One row of the video table.

use super::{confirm, display, error_text, progress_bar::ProgressBar, status_badge::StatusBadge};
use crate::api::{cancel_video, delete_video, pause_video, resume_video};
use crate::model::{Video, VideoStatus};
use leptos::{prelude::*, task::spawn_local};
use std::future::Future;

/// The video a row's status buttons act on, and where their outcome goes.
#[derive(Clone)]
struct StatusAction {
    id: String,
    name: String,
    busy: RwSignal<bool>,
    on_change: Callback<Video>,
    on_error: Callback<String>,
}

impl StatusAction {
    /// Calls `call` (a server function changing the status) with the video's id in the
    /// background, the row busy meanwhile: the video it returns goes to `on_change`, a
    /// failure to `on_error` as "Could not {verb} {name}: …".
    fn run<Fut>(&self, verb: &'static str, call: impl FnOnce(String) -> Fut + 'static)
    where
        Fut: Future<Output = Result<Video, ServerFnError>> + 'static,
    {
        self.busy.set(true);
        let this = self.clone();
        spawn_local(async move {
            match call(this.id.clone()).await {
                Ok(video) => this.on_change.run(video),
                Err(err) => this.on_error.run(format!(
                    "Could not {verb} {}: {}",
                    this.name,
                    error_text(&err)
                )),
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
    };
    let cancel = {
        let action = action.clone();
        move |_| action.run("cancel", cancel_video)
    };
    let pause = {
        let action = action.clone();
        move |_| action.run("pause", pause_video)
    };
    let resume = move |_| action.run("resume", resume_video);
    let delete = {
        let (id, name) = (id.clone(), name.clone());
        move |_| {
            if !confirm(&format!("Delete {name} and its results?")) {
                return;
            }
            busy.set(true);
            let (id, name) = (id.clone(), name.clone());
            spawn_local(async move {
                match delete_video(id.clone()).await {
                    Ok(()) => on_removed.run(id),
                    Err(err) => {
                        on_error.run(format!("Could not delete {name}: {}", error_text(&err)))
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
            <td class="cell-file" data-label="File">
                <a class="filename" href=format!("/videos/{id}") title=name.clone()>{name.clone()}</a>
                <div class="meta">
                    <span>{display::uploaded_at(&current.with_untracked(|v| v.created_at.clone()))}</span>
                    {current.with_untracked(|v| v.create_profiles)
                        .then(|| view! { <span class="tag" title="Profiles are created for people found">"profiles"</span> })}
                </div>
                {move || current.with(|v| v.error.clone()).map(|error| view! {
                    <div class="row-error" data-testid="error">{error}</div>
                })}
            </td>
            <td data-label="Status"><StatusBadge status/></td>
            <td data-label="Progress" class="col-progress">
                <ProgressBar value=Signal::derive(move || current.with(|v| v.progress)) status label=name.clone()/>
            </td>
            <td class="num strong" data-label="Faces" data-testid="faces-total"
                data-value=move || current.with(|v| v.faces_total)>
                {move || current.with(|v| display::count(v.faces_total))}
            </td>
            <td class="num" data-label="Max / frame" data-testid="max-faces">
                {move || current.with(|v| display::count(v.max_faces_in_frame))}
            </td>
            <td class="num" data-label="People" data-testid="people-count"
                data-value=move || current.with(|v| v.people_count.map(|n| n.to_string()).unwrap_or_default())
                title=move || current.with(|v| match (v.people_count, v.status.is_final()) {
                    (None, _) => "Not known yet",
                    (Some(_), false) => "Found so far",
                    (Some(_), true) => "Distinct people found",
                })>
                {move || current.with(display::people)}
            </td>
            <td class="num" data-label="Frames" data-testid="frames">
                {move || current.with(display::frames)}
            </td>
            <td class="num" data-label="Speed" data-testid="speed">
                <div class="stack">
                    <span>{move || current.with(display::speed).unwrap_or_else(|| display::UNKNOWN.into())}</span>
                    {move || current.with(display::time_left).map(|left| view! { <span class="meta">{left}</span> })}
                </div>
            </td>
            <td class="cell-info" data-label="Video" data-testid="video-info" title=move || current.with(display::video_info)>
                <div class="stack">
                    <span>{move || current.with(display::resolution).unwrap_or_else(|| display::UNKNOWN.into())}</span>
                    {move || current.with(display::timing).map(|t| view! { <span class="meta">{t}</span> })}
                </div>
            </td>
            <td class="col-actions">
                <div class="actions">
                    <Show when=move || matches!(status.get(), VideoStatus::Queued | VideoStatus::Processing)>
                        <button type="button" class="btn btn-small" data-testid="pause"
                            title="Free its job slot until it is resumed"
                            disabled=move || busy.get() on:click=pause.clone()>"Pause"</button>
                    </Show>
                    <Show when=move || status.get() == VideoStatus::Paused>
                        <button type="button" class="btn btn-small" data-testid="resume"
                            disabled=move || busy.get() on:click=resume.clone()>"Resume"</button>
                    </Show>
                    <Show when=move || !status.get().is_final()>
                        <button type="button" class="btn btn-small" data-testid="cancel"
                            disabled=move || busy.get() on:click=cancel.clone()>"Cancel"</button>
                    </Show>
                    <button type="button" class="btn btn-small btn-danger" data-testid="delete"
                        disabled=move || busy.get() on:click=delete>"Delete"</button>
                </div>
            </td>
        </tr>
    }
    .into_any()
}
