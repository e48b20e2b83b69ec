//! The sign-in page of a server started with `FACETALLY_API_TOKEN`: a plain HTML form that
//! posts the token to `/auth/login` (it works without WebAssembly). The server answers with
//! the session cookie and a redirect to `next`, or back here with `?error=1`.

use crate::i18n::{tr, use_i18n};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Asks for the API token once; the browser then keeps it in an `HttpOnly` cookie.
#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let failed = move || query.with(|q| q.get_str("error").is_some());
    let next = move || query.with(|q| q.get_str("next").unwrap_or("/").to_owned());

    view! {
        <Title text=tr!(i18n, sign_in)/>
        <div class="page login-page">
            <section class="card login-card" aria-labelledby="login-heading">
                <h1 id="login-heading">{tr!(i18n, sign_in)}</h1>
                <p class="subtitle">{tr!(i18n, sign_in_hint)}</p>
                {move || failed().then(|| view! {
                    <div class="alert alert-error" role="alert" data-testid="login-error">{tr!(i18n, wrong_token)}</div>
                })}
                <form class="login-form" method="post" action="/auth/login" data-testid="login-form">
                    <input type="hidden" name="next" value=next/>
                    <div class="field">
                        <label for="login-token">{tr!(i18n, api_token)}</label>
                        <input id="login-token" type="password" name="token" required
                            autocomplete="current-password" autofocus data-testid="login-token"/>
                    </div>
                    <button type="submit" class="btn btn-primary" data-testid="login-submit">{tr!(i18n, sign_in)}</button>
                </form>
            </section>
        </div>
    }
}
