//! The upload area: drop files or choose them, see the upload's progress and any error.

use super::{display, upload_request::UploadError};
use crate::i18n::{tr, use_i18n};
use crate::model::Video;
use leptos::{ev, html, prelude::*};

/// Where the current upload is.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))] // only the browser uploads
enum UploadState {
    /// Nothing sent yet.
    Idle,
    /// Bytes are leaving the browser.
    Sending { files: usize, sent: f64, total: f64 },
    /// The server accepted this many videos.
    Sent(usize),
    /// The server refused the upload or could not be reached.
    Failed(UploadError),
}

/// Drag and drop or choose video files; they are uploaded at once to `POST /api/videos`.
#[component]
pub fn UploadPanel(
    /// Called with the videos the server created.
    on_uploaded: Callback<Vec<Video>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(UploadState::Idle);
    let create_profiles = RwSignal::new(false);
    // dragenter/dragleave also fire for children: count them to know when we really left.
    let drag_depth = RwSignal::new(0_i32);
    let input = NodeRef::<html::Input>::new();
    #[cfg(not(feature = "hydrate"))]
    let _ = on_uploaded;
    let sending = move || matches!(state.get(), UploadState::Sending { .. });

    #[cfg(feature = "hydrate")]
    let start = move |files: Vec<web_sys::File>| {
        start_upload(
            i18n,
            state,
            create_profiles.get_untracked(),
            on_uploaded,
            files,
        )
    };

    crate::components::keep_drops_on_page();

    let on_change = move |_: ev::Event| {
        #[cfg(feature = "hydrate")]
        if let Some(el) = input.get() {
            let files = files_of(el.files());
            el.set_value(""); // choosing the same file again must fire `change` again
            start(files);
        }
    };
    let dragging = move || drag_depth.get() > 0;
    let on_drag_enter = move |e: ev::DragEvent| {
        e.prevent_default();
        drag_depth.update(|d| *d += 1);
    };
    let on_drag_leave = move |_: ev::DragEvent| drag_depth.update(|d| *d = (*d - 1).max(0));
    let on_drop = move |e: ev::DragEvent| {
        e.prevent_default();
        drag_depth.set(0);
        #[cfg(feature = "hydrate")]
        start(files_of(e.data_transfer().and_then(|dt| dt.files())));
    };

    view! {
        <section class="card upload" aria-labelledby="upload-heading">
            <h2 id="upload-heading" class="sr-only">{tr!(i18n, upload_heading)}</h2>
            <div
                class="dropzone"
                class:dragover=dragging
                class:busy=sending
                data-testid="upload-drop"
                on:dragenter=on_drag_enter
                on:dragover=|e: ev::DragEvent| e.prevent_default()
                on:dragleave=on_drag_leave
                on:drop=on_drop
            >
                <svg class="dropzone-icon" viewBox="0 0 24 24" aria-hidden="true">
                    <path d="M12 16V4m0 0-4 4m4-4 4 4M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3"/>
                </svg>
                <p class="dropzone-title">{tr!(i18n, upload_drop)}</p>
                <p class="dropzone-hint">{tr!(i18n, upload_hint)}</p>
                <label class="btn btn-primary" for="upload-input" class:disabled=sending>{tr!(i18n, upload_choose)}</label>
                <input
                    id="upload-input"
                    class="sr-only"
                    type="file"
                    name="files"
                    multiple
                    accept="video/*"
                    data-testid="upload-input"
                    node_ref=input
                    disabled=sending
                    on:change=on_change
                />
            </div>
            <UploadOptions create_profiles/>
            <UploadStatus state/>
        </section>
    }
    .into_any()
}

/// Sends `files` unless an upload is under way, following it in `state`.
#[cfg(feature = "hydrate")]
fn start_upload(
    i18n: crate::i18n::I18n,
    state: RwSignal<UploadState>,
    create_profiles: bool,
    on_uploaded: Callback<Vec<Video>>,
    files: Vec<web_sys::File>,
) {
    if files.is_empty() || matches!(state.get_untracked(), UploadState::Sending { .. }) {
        return;
    }
    let files_count = files.len();
    let total = files.iter().map(|f| f.size()).sum();
    state.set(UploadState::Sending {
        files: files_count,
        sent: 0.0,
        total,
    });
    let started = super::upload_request::send(
        i18n.lang_untracked(),
        files,
        create_profiles,
        move |sent, total| {
            state.set(UploadState::Sending {
                files: files_count,
                sent,
                total,
            })
        },
        move |outcome| match outcome {
            Ok(videos) => {
                state.set(UploadState::Sent(videos.len()));
                on_uploaded.run(videos);
            }
            Err(err) => state.set(UploadState::Failed(err)),
        },
    );
    if let Err(err) = started {
        state.set(UploadState::Failed(err));
    }
}

/// The files of a file list (of an `<input type=file>` or a drop).
#[cfg(feature = "hydrate")]
fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    list.map(|l| (0..l.length()).filter_map(|i| l.get(i)).collect())
        .unwrap_or_default()
}

/// Whether the people found become profiles.
#[component]
fn UploadOptions(
    /// Checked: the upload asks for profiles.
    create_profiles: RwSignal<bool>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="upload-options">
            <label class="checkbox">
                <input type="checkbox" name="create_profiles" value="true"
                    data-testid="create-profiles" bind:checked=create_profiles/>
                <span>{tr!(i18n, create_profiles)}</span>
            </label>
            <span class="hint">{tr!(i18n, create_profiles_hint)}</span>
        </div>
    }
}

/// The upload's progress, its success or why it failed (with a button to dismiss it).
#[component]
fn UploadStatus(
    /// Where the upload is.
    state: RwSignal<UploadState>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        {move || match state.get() {
            UploadState::Idle => ().into_any(),
            UploadState::Sending { files, sent, total } => {
                let pct = if total > 0.0 { (sent / total * 100.0).min(100.0) } else { 0.0 };
                view! {
                    <div class="upload-progress" data-testid="upload-progress" role="status">
                        <div class="upload-progress-text">
                            <span>{move || (i18n.t().uploading)(files)}</span>
                            <span>{move || {
                                let lang = i18n.lang();
                                (lang.texts().upload_sent)(&display::bytes(lang, sent), &display::bytes(lang, total), pct.floor() as u8)
                            }}</span>
                        </div>
                        <div class="progress progress-uploading">
                            <div class="progress-fill" style:width=format!("{pct:.1}%")></div>
                        </div>
                    </div>
                }.into_any()
            }
            UploadState::Sent(n) => view! {
                <div class="alert alert-success" role="status" data-testid="upload-done">
                    {move || (i18n.t().uploaded)(n)}
                </div>
            }.into_any(),
            UploadState::Failed(err) => view! {
                <div class="alert alert-error" role="alert" data-testid="upload-error">
                    <div>
                        <strong>{err.message}</strong>
                        {(!err.details.is_empty()).then(|| view! {
                            <ul class="alert-details">
                                {err.details.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                            </ul>
                        })}
                        <p class="alert-hint">{tr!(i18n, upload_nothing)}</p>
                    </div>
                    <button type="button" class="alert-close" aria-label=tr!(i18n, dismiss)
                        on:click=move |_| state.set(UploadState::Idle)>"×"</button>
                </div>
            }.into_any(),
        }}
    }
}
