//! The UI in Russian or English. The server picks the language of a page from the
//! `facetally_lang` cookie, else from `Accept-Language` ([`detect`]), renders it into
//! `<html lang>`, and the browser starts hydrating in the language written there, so the
//! page never flashes the other one. The switch in the header changes it at once and
//! remembers it in the cookie.
//!
//! Every text a person reads comes from the catalogues [`en`] and [`ru`], one [`Texts`]
//! each: the compiler makes sure both have every text, and phrases with values are
//! functions taking typed arguments.

pub mod detect;
mod en;
pub mod format;
mod ru;
mod texts;

pub use texts::Texts;

use leptos::prelude::*;

/// A language of the UI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    /// English, the default.
    #[default]
    En,
    /// Russian.
    Ru,
}

impl Lang {
    /// Every language, in the order of the switch.
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Ru];

    /// The language's code, as in `<html lang>` and the cookie.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ru => "ru",
        }
    }

    /// The language of a code (`en`, `ru`, any case).
    pub fn from_code(code: &str) -> Option<Lang> {
        match code.trim().to_ascii_lowercase().as_str() {
            "en" => Some(Lang::En),
            "ru" => Some(Lang::Ru),
            _ => None,
        }
    }

    /// The catalogue of texts in this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Lang::En => &en::TEXTS,
            Lang::Ru => &ru::TEXTS,
        }
    }
}

/// The language of the page, shared as Leptos context; views read it in reactive closures
/// so they follow the switch.
#[derive(Debug, Clone, Copy)]
pub struct I18n(RwSignal<Lang>);

impl I18n {
    /// The current language (tracked).
    pub fn lang(self) -> Lang {
        self.0.get()
    }

    /// The current language, for event handlers and tasks (not tracked).
    pub fn lang_untracked(self) -> Lang {
        self.0.get_untracked()
    }

    /// The texts of the current language (tracked).
    pub fn t(self) -> &'static Texts {
        self.lang().texts()
    }

    /// The texts of the current language, for event handlers and tasks (not tracked).
    pub fn t_untracked(self) -> &'static Texts {
        self.lang_untracked().texts()
    }

    /// Switch the page to `lang` and remember it for a year in the cookie.
    pub fn set(self, lang: Lang) {
        self.0.set(lang);
        #[cfg(feature = "hydrate")]
        {
            use wasm_bindgen::JsCast;
            let document = leptos::prelude::document();
            if let Some(html) = document.document_element() {
                let _ = html.set_attribute("lang", lang.code());
            }
            if let Ok(doc) = document.dyn_into::<web_sys::HtmlDocument>() {
                let _ = doc.set_cookie(&format!(
                    "{}={}; Max-Age=31536000; Path=/; SameSite=Lax",
                    detect::COOKIE,
                    lang.code()
                ));
            }
        }
    }
}

/// The language a page starts in: on the server the request's choice, in the browser the
/// one the server wrote into `<html lang>`.
fn initial_lang() -> Lang {
    #[cfg(feature = "ssr")]
    {
        // The page differs by these headers: caches must keep one copy per language.
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.append_header(
                http::header::VARY,
                http::HeaderValue::from_static("Accept-Language, Cookie"),
            );
        }
        use_context::<http::request::Parts>().map_or(Lang::En, |parts| {
            // Every value of a header, as one (a request may repeat it).
            let header = |name: http::HeaderName, separator: &str| {
                parts
                    .headers
                    .get_all(name)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .collect::<Vec<_>>()
                    .join(separator)
            };
            let cookie = header(http::header::COOKIE, "; ");
            let accept = header(http::header::ACCEPT_LANGUAGE, ", ");
            detect::choose(Some(&cookie), Some(&accept))
        })
    }
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        leptos::prelude::document()
            .document_element()
            .and_then(|html| html.get_attribute("lang"))
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
    #[cfg(not(any(feature = "ssr", feature = "hydrate")))]
    Lang::En
}

/// The page's language context, provided on first use (by the HTML shell on the server,
/// by the app in the browser).
pub fn use_i18n() -> I18n {
    use_context::<I18n>().unwrap_or_else(|| {
        let i18n = I18n(RwSignal::new(initial_lang()));
        provide_context(i18n);
        i18n
    })
}

/// A reactive text of the current language: `tr!(i18n, nav_videos)` is
/// `move || i18n.t().nav_videos`.
macro_rules! tr {
    ($i18n:expr, $key:ident) => {
        move || $i18n.t().$key
    };
}
pub(crate) use tr;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("RU"), Some(Lang::Ru));
        assert_eq!(Lang::from_code("de"), None);
    }

    #[test]
    fn both_catalogues_fill_every_text() {
        let (en, ru) = (Lang::En.texts().words(), Lang::Ru.texts().words());
        let en_keys: Vec<&str> = en.iter().map(|(k, _)| *k).collect();
        let ru_keys: Vec<&str> = ru.iter().map(|(k, _)| *k).collect();
        assert_eq!(en_keys, ru_keys);
        for (key, text) in en.iter().chain(&ru) {
            assert!(!text.trim().is_empty(), "{key} is empty");
        }
        // Russian texts are Russian: every one with Latin letters in English has Cyrillic.
        for ((key, en_text), (_, ru_text)) in en.iter().zip(&ru) {
            let latin = en_text.chars().any(|c| c.is_ascii_alphabetic());
            let cyrillic = ru_text
                .chars()
                .any(|c| ('\u{400}'..='\u{4ff}').contains(&c));
            let same_anywhere = ["API", "EN", "RU"].contains(en_text);
            assert!(
                !latin || cyrillic || same_anywhere,
                "{key}: {ru_text:?} is not Russian"
            );
        }
    }
}
