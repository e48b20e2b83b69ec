//! "Sign out" in the header, shown only when the server asks for an API token.

use crate::i18n::{tr, use_i18n};
use leptos::prelude::*;
use leptos_router::hooks::use_location;

/// Whether the server was started with `FACETALLY_API_TOKEN`; the server provides it as
/// Leptos context to page renders and server functions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenConfigured(pub bool);

/// Whether this server asks for an API token (read while the server renders the page).
#[server(prefix = "/rpc", endpoint = "token_required")]
pub async fn token_required() -> Result<bool, ServerFnError> {
    Ok(use_context::<TokenConfigured>().is_some_and(|required| required.0))
}

/// A plain form posting to `/auth/logout` (works without WebAssembly), outside the login
/// page, when a token is configured.
#[component]
pub fn SignOut() -> impl IntoView {
    let i18n = use_i18n();
    let required = OnceResource::new(token_required());
    let location = use_location();
    let on_login_page = move || location.pathname.with(|path| path == "/login");
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let shown = required.await.unwrap_or(false);
                (shown && !on_login_page()).then(|| view! {
                    <form class="sign-out" method="post" action="/auth/logout">
                        <button type="submit" class="btn btn-small" data-testid="sign-out">{tr!(i18n, sign_out)}</button>
                    </form>
                })
            })}
        </Suspense>
    }
}
