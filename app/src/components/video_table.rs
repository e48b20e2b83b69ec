//! The table of videos, newest first.

use super::video_row::VideoRow;
use crate::i18n::{tr, use_i18n, Lang};
use crate::model::{Video, VideoStatus};
use leptos::prelude::*;

/// One line about the list: how many videos, how many are not finished and how many failed.
fn summary(lang: Lang, list: &[Video]) -> String {
    let t = lang.texts();
    let mut parts = vec![(t.videos_count)(list.len())];
    for status in [
        VideoStatus::Processing,
        VideoStatus::Queued,
        VideoStatus::Paused,
        VideoStatus::Failed,
    ] {
        let count = list.iter().filter(|v| v.status == status).count();
        if count > 0 {
            parts.push((t.status_count)(count, status));
        }
    }
    parts.join(" · ")
}

/// Every video with its progress and counts; rows update in place as `videos` changes.
#[component]
pub fn VideoTable(
    /// The videos to show, newest first.
    videos: RwSignal<Vec<Video>>,
    /// Called with a video changed by a row action (cancel, pause, resume).
    on_change: Callback<Video>,
    /// Called with the id of a video deleted by a row action.
    on_removed: Callback<String>,
    /// Called with a message when a row action fails.
    on_error: Callback<String>,
) -> impl IntoView {
    let i18n = use_i18n();
    let is_empty = move || videos.with(Vec::is_empty);
    view! {
        <p class="table-summary" data-testid="summary">{move || videos.with(|list| summary(i18n.lang(), list))}</p>
        <Show
            when=move || !is_empty()
            fallback=move || view! {
                <div class="empty" data-testid="empty">
                    <p class="empty-title">{tr!(i18n, no_videos)}</p>
                    <p>{tr!(i18n, no_videos_hint)}</p>
                </div>
            }
        >
            <div class="table-wrap">
                <table class="videos">
                    <thead>
                        <tr>
                            <th scope="col">{tr!(i18n, col_file)}</th>
                            <th scope="col">{tr!(i18n, col_status)}</th>
                            <th scope="col" class="col-progress">{tr!(i18n, col_progress)}</th>
                            <th scope="col" class="num" title=tr!(i18n, col_faces_title)>{tr!(i18n, col_faces)}</th>
                            <th scope="col" class="num" title=tr!(i18n, col_max_faces_title)>{tr!(i18n, col_max_faces)}</th>
                            <th scope="col" class="num" title=tr!(i18n, people_distinct)>{tr!(i18n, col_people)}</th>
                            <th scope="col" class="num">{tr!(i18n, col_frames)}</th>
                            <th scope="col" class="num" title=tr!(i18n, col_speed_title)>{tr!(i18n, col_speed)}</th>
                            <th scope="col">{tr!(i18n, col_video)}</th>
                            <th scope="col" class="col-actions"><span class="sr-only">{tr!(i18n, col_actions)}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        <For each=move || videos.get() key=|v| v.id.clone() let:video>
                            <VideoRow video videos on_change on_removed on_error/>
                        </For>
                    </tbody>
                </table>
            </div>
        </Show>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::summary;
    use crate::i18n::Lang;
    use crate::model::{Video, VideoStatus};

    fn video(status: VideoStatus) -> Video {
        serde_json::from_value(serde_json::json!({
            "id": "a", "filename": "a.mp4", "status": status.as_str(), "progress": 0.0,
            "frames_processed": 0, "frames_total": null, "faces_total": 0,
            "max_faces_in_frame": 0, "frames_with_faces": 0, "fps": null, "width": null,
            "height": null, "duration_s": null, "processing_fps": null, "people_count": null,
            "create_profiles": false, "error": null, "created_at": "", "updated_at": "",
        }))
        .unwrap()
    }

    #[test]
    fn empty_summary() {
        assert_eq!(summary(Lang::En, &[]), "0 videos");
        assert_eq!(summary(Lang::Ru, &[]), "0 видео");
    }

    #[test]
    fn summary_counts_unfinished_paused_and_failed() {
        use VideoStatus::*;
        let list: Vec<Video> = [Paused, Done, Processing, Paused, Failed, Cancelled]
            .into_iter()
            .map(video)
            .collect();
        assert_eq!(
            summary(Lang::En, &list),
            "6 videos · 1 processing · 2 paused · 1 failed"
        );
        assert_eq!(
            summary(Lang::Ru, &list),
            "6 видео · 1 обрабатывается · 2 на паузе · 1 с ошибкой"
        );
    }
}
