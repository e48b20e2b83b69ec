//! Which language a request asks for: the `facetally_lang` cookie first (the operator's
//! own choice), else the browser's `Accept-Language`. Pure functions: the server uses them
//! to render a page, the tests call them directly.

use super::Lang;

/// Name of the cookie that remembers the language chosen in the header.
pub const COOKIE: &str = "facetally_lang";

/// The language a `Cookie` header names in [`COOKIE`], if it names one we have.
pub fn from_cookie_header(header: &str) -> Option<Lang> {
    header
        .split(';')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| name.trim() == COOKIE)
        .and_then(|(_, value)| Lang::from_code(value.trim().trim_matches('"')))
}

/// The language an `Accept-Language` header prefers: the entry with the highest q-value
/// (earlier entries win ties) whose primary tag is one we have (`ru-RU` is Russian, `en-GB`
/// English); `q=0` means "not this". Nothing usable: English.
pub fn from_accept_language(header: &str) -> Lang {
    let mut best: Option<(f32, Lang)> = None;
    for entry in header.split(',') {
        let mut parts = entry.split(';');
        let tag = parts.next().unwrap_or("").trim();
        let mut q = 1.0_f32;
        for param in parts {
            if let Some((name, value)) = param.split_once('=') {
                if name.trim().eq_ignore_ascii_case("q") {
                    q = value.trim().parse().unwrap_or(0.0);
                }
            }
        }
        let primary = tag.split(['-', '_']).next().unwrap_or("");
        let Some(lang) = Lang::from_code(primary) else {
            continue;
        };
        if !(q > 0.0 && q <= 1.0) {
            continue;
        }
        if best.is_none_or(|(best_q, _)| q > best_q) {
            best = Some((q, lang));
        }
    }
    best.map_or(Lang::En, |(_, lang)| lang)
}

/// The language to render a request in, from its `Cookie` and `Accept-Language` headers.
pub fn choose(cookie: Option<&str>, accept_language: Option<&str>) -> Lang {
    cookie
        .and_then(from_cookie_header)
        .unwrap_or_else(|| accept_language.map_or(Lang::En, from_accept_language))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_honours_q_values_and_regions() {
        assert_eq!(from_accept_language("ru-RU"), Lang::Ru);
        assert_eq!(
            from_accept_language("ru-RU,ru;q=0.9,en-US;q=0.8,en;q=0.7"),
            Lang::Ru
        );
        assert_eq!(from_accept_language("en;q=0.9, ru;q=0.8"), Lang::En);
        assert_eq!(from_accept_language("en;q=0.8, ru;q=0.9"), Lang::Ru);
        assert_eq!(from_accept_language("de-DE, ru;q=0.5, en;q=0.3"), Lang::Ru);
        assert_eq!(from_accept_language("en-GB"), Lang::En);
        assert_eq!(from_accept_language("RU"), Lang::Ru);
        assert_eq!(from_accept_language("ru;q=0, en;q=0.1"), Lang::En);
    }

    #[test]
    fn garbage_and_unknown_languages_are_english() {
        for header in [
            "",
            "*",
            "de-DE,fr;q=0.9",
            ";;;,,,",
            "ru;q=abc",
            "ru;q=7",
            "xx-ru",
        ] {
            assert_eq!(from_accept_language(header), Lang::En, "{header:?}");
        }
    }

    #[test]
    fn the_cookie_wins_over_the_browser() {
        assert_eq!(
            choose(Some("a=1; facetally_lang=en"), Some("ru-RU")),
            Lang::En
        );
        assert_eq!(choose(Some("facetally_lang=ru"), Some("en")), Lang::Ru);
        assert_eq!(choose(Some("facetally_lang=de"), Some("ru")), Lang::Ru);
        assert_eq!(choose(None, Some("ru")), Lang::Ru);
        assert_eq!(choose(None, None), Lang::En);
        assert_eq!(from_cookie_header("other_lang=ru"), None);
    }
}
