//! facetally's UI and the types it shares with the server.

pub mod api;
mod components;
pub mod i18n;
pub mod model;
mod pages;
pub mod validate;

pub use components::sign_out::TokenConfigured;

use i18n::tr;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::{
    components::{Route, Router, Routes, A},
    path, SsrMode,
};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // Chosen here from the request, so `<html lang>` tells the browser which language
    // to hydrate in.
    let lang = i18n::use_i18n().lang_untracked();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

/// The application: header and routes.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let i18n = i18n::use_i18n();
    view! {
        <Stylesheet id="leptos" href="/pkg/facetally.css"/>
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg"/>
        <Meta name="description" content=tr!(i18n, meta_description)/>
        <Title formatter=|page: String| if page.is_empty() { "facetally".into() } else { format!("{page} · facetally") }/>
        <Router>
            <header class="topbar">
                <div class="topbar-inner">
                    <a class="brand" href="/">
                        <img src="/favicon.svg" alt="" width="24" height="24"/>
                        <span>"facetally"</span>
                    </a>
                    <nav class="nav" aria-label=tr!(i18n, nav_label)>
                        <A href="/" exact=true>{tr!(i18n, nav_videos)}</A>
                        <A href="/profiles" exact=true>{tr!(i18n, nav_profiles)}</A>
                        <A href="/people">{tr!(i18n, nav_people)}</A>
                        <A href="/search">{tr!(i18n, nav_search)}</A>
                        <a href="/docs/" rel="external">{tr!(i18n, nav_api)}</a>
                    </nav>
                    <components::lang_switch::LangSwitch/>
                    <components::sign_out::SignOut/>
                </div>
            </header>
            <components::alert_notice::AlertNotice/>
            <main class="container">
                <Routes fallback=move || view! { <p class="empty">{tr!(i18n, page_not_found)}</p> }>
                    // Async: the list is in the HTML itself, so the page shows data without JS.
                    <Route path=path!("/") view=pages::videos::VideosPage ssr=SsrMode::Async/>
                    <Route path=path!("/profiles") view=pages::profiles::ProfilesPage ssr=SsrMode::Async/>
                    // Loaded by the browser from the REST API: the server renders the frame.
                    <Route path=path!("/profiles/:id") view=pages::profile::ProfileDetailsPage/>
                    <Route path=path!("/people") view=pages::people::UnassignedPeoplePage/>
                    <Route path=path!("/search") view=pages::search::SearchPage/>
                    <Route path=path!("/videos/:id") view=pages::video::VideoPage ssr=SsrMode::Async/>
                    <Route path=path!("/login") view=pages::login::LoginPage ssr=SsrMode::Async/>
                </Routes>
            </main>
        </Router>
    }
}
