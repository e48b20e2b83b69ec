//! The watch list's notices: every unacknowledged alert (a watched profile seen in a
//! processed video) stays in a corner of every page, new ones arrive live over SSE, and
//! "Acknowledge" puts one away for every operator.

use crate::components::display;
use crate::i18n::{tr, use_i18n};
use crate::model::Alert;
use leptos::prelude::*;

/// Alerts shown at most at once (the newest).
const SHOWN: usize = 5;

/// The open alerts, newest first, each with Open and Acknowledge.
#[component]
pub fn AlertNotice() -> impl IntoView {
    let i18n = use_i18n();
    let alerts = RwSignal::new(Vec::<Alert>::new());
    // The browser loads them after hydration: the server-rendered page has none, so both
    // render the same.
    Effect::new(move |_| {
        #[cfg(feature = "hydrate")]
        client::start(alerts, i18n.lang_untracked());
    });
    let acknowledge = move |id: String| {
        alerts.update(|list| list.retain(|a| a.id != id));
        #[cfg(feature = "hydrate")]
        client::acknowledge(id, i18n.lang_untracked());
    };
    view! {
        <aside class="alert-notices" aria-live="polite" data-testid="alerts"
            aria-label=tr!(i18n, alerts_label)>
            <For each=move || alerts.get().into_iter().take(SHOWN) key=|a| a.id.clone() let:alert>
                {
                    let id = alert.id.clone();
                    let start = alert.episodes.first().map_or(0.0, |e| e.start_s);
                    let href = format!("/videos/{}?t={}", alert.video_id, display::seconds_param(start));
                    let (name, file) = (alert.profile_name.clone(), alert.file_name.clone());
                    let text = move || {
                        let t = i18n.t();
                        (t.alert_seen)(name.as_deref().unwrap_or(t.unnamed), &file, &display::duration(start))
                    };
                    view! {
                        <div class="alert-notice" role="status" data-testid="alert" data-id=alert.id.clone()>
                            <span>{text}</span>
                            <a class="btn btn-small" href=href>{tr!(i18n, open)}</a>
                            <button type="button" class="btn btn-small" data-testid="acknowledge-alert"
                                on:click=move |_| acknowledge(id.clone())>{tr!(i18n, acknowledge)}</button>
                        </div>
                    }
                }
            </For>
        </aside>
    }
}

#[cfg(feature = "hydrate")]
mod client {
    use crate::i18n::Lang;
    use crate::model::{Alert, AlertPage, ALERT_EVENT};
    use crate::pages::rest;
    use crate::pages::videos::live::EVENTS_URL;
    use leptos::{logging, prelude::*, task::spawn_local};
    use send_wrapper::SendWrapper;
    use wasm_bindgen::{closure::Closure, JsCast};
    use web_sys::{EventSource, MessageEvent};

    /// Loads the open alerts and listens for new ones until the page goes.
    pub fn start(alerts: RwSignal<Vec<Alert>>, lang: Lang) {
        spawn_local(async move {
            match rest::get::<AlertPage>(lang, "/api/alerts?limit=50").await {
                Ok(page) => alerts.update(|list| {
                    for alert in page
                        .items
                        .into_iter()
                        .filter(|a| a.acknowledged_at.is_none())
                    {
                        if !list.iter().any(|a| a.id == alert.id) {
                            list.push(alert);
                        }
                    }
                }),
                Err(err) => logging::warn!("loading alerts failed: {err}"),
            }
        });
        let Ok(source) = EventSource::new(EVENTS_URL) else {
            return;
        };
        let on_alert = Closure::<dyn FnMut(MessageEvent)>::new(move |ev: MessageEvent| {
            let data = ev.data().as_string().unwrap_or_default();
            match serde_json::from_str::<Alert>(&data) {
                Ok(alert) => alerts.update(|list| {
                    list.retain(|a| a.id != alert.id);
                    list.insert(0, alert);
                }),
                Err(err) => logging::warn!("bad {ALERT_EVENT} event: {err}"),
            }
        });
        let target: &web_sys::EventTarget = source.as_ref();
        if let Err(err) =
            target.add_event_listener_with_callback(ALERT_EVENT, on_alert.as_ref().unchecked_ref())
        {
            logging::error!("cannot listen to alert events: {err:?}");
        }
        let held = SendWrapper::new((source, on_alert));
        on_cleanup(move || {
            let (source, on_alert) = held.take();
            source.close();
            drop(on_alert);
        });
    }

    /// Tells the server; a failure only logs (the alert comes back on the next page).
    pub fn acknowledge(id: String, lang: Lang) {
        spawn_local(async move {
            let url = format!("/api/alerts/{id}/acknowledge");
            if let Err(err) = rest::send::<Alert>(lang, "POST", &url, None::<&()>).await {
                logging::warn!("acknowledging alert {id} failed: {err}");
            }
        });
    }
}
