//! The videos page: an upload area and a live table of every video.

// The event stream and list merging run in the browser only; the video page uses them too.
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
pub(crate) mod live;
mod video_list;

use crate::api::list_videos;
use crate::components::notice::ErrorNotice;
use crate::components::{upload_panel::UploadPanel, video_table::VideoTable};
use crate::i18n::{tr, use_i18n};
use crate::model::Video;
use leptos::prelude::*;
use leptos_meta::Title;
use live::Connection;

/// Upload videos and watch faces being counted in them.
///
/// The list is loaded by the `list_videos` server function while the server renders the
/// page; in the browser it is then kept current by the event stream (see [`live`]).
#[component]
pub fn VideosPage() -> impl IntoView {
    let i18n = use_i18n();
    let videos = RwSignal::new(Vec::<Video>::new());
    let connection = RwSignal::new(Connection::Connecting);
    let notice = RwSignal::new(None::<String>);
    let initial = Resource::new(|| (), |_| list_videos());

    #[cfg(feature = "hydrate")]
    Effect::new(move |_| live::subscribe(videos, connection));

    let on_uploaded = Callback::new(move |uploaded: Vec<Video>| {
        videos.update(|list| {
            uploaded
                .into_iter()
                .for_each(|v| video_list::upsert(list, v))
        })
    });
    let on_change =
        Callback::new(move |video: Video| videos.update(|list| video_list::upsert(list, video)));
    let on_removed =
        Callback::new(move |id: String| videos.update(|list| video_list::remove(list, &id)));
    let on_error = Callback::new(move |message: String| notice.set(Some(message)));

    view! {
        <Title text=tr!(i18n, nav_videos)/>
        <div class="page">
            <header class="page-header">
                <div>
                    <h1>{tr!(i18n, nav_videos)}</h1>
                    <p class="subtitle">{tr!(i18n, videos_subtitle)}</p>
                </div>
                <crate::components::export_links::VideoExports/>
            </header>
            <UploadPanel on_uploaded/>
            <ErrorNotice notice/>
            <section class="card" aria-labelledby="videos-heading">
                <div class="card-header">
                    <h2 id="videos-heading">{tr!(i18n, all_videos)}</h2>
                    <span class="live" data-testid="live-status"
                        data-state=move || connection.get().as_str()
                        title=tr!(i18n, live_title)>
                        <span class="live-dot" aria-hidden="true"></span>
                        {move || connection.get().label(i18n.t())}
                    </span>
                </div>
                <Suspense fallback=move || view! { <p class="empty">{tr!(i18n, loading_videos)}</p> }>
                    {move || Suspend::new(async move {
                        match initial.await {
                            Ok(list) => {
                                videos.set(list);
                                view! { <VideoTable videos on_change on_removed on_error/> }.into_any()
                            }
                            Err(err) => view! {
                                <p class="alert alert-error" role="alert">
                                    {move || (i18n.t().load_videos_failed)(&crate::components::error_text(i18n.lang(), &err))}
                                </p>
                            }.into_any(),
                        }
                    })}
                </Suspense>
            </section>
        </div>
    }
}
