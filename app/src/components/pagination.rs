//! Page navigation for long lists: "Showing 101–200 of 1,234" with previous/next links.
//! Pages are plain links (`?page=N`), so they work before hydration and can be bookmarked.

use super::display::count;
use crate::i18n::{tr, use_i18n, Lang, Texts};
use leptos::prelude::*;

/// The range shown, e.g. `Showing 101–200 of 1,234` (`of about 1,234` when `total` is an
/// estimate).
pub fn range_text(lang: Lang, offset: i64, shown: usize, total: i64, estimate: bool) -> String {
    let t = lang.texts();
    let total_text = |n: i64| {
        let n = count(lang, n);
        if estimate {
            (t.about)(&n)
        } else {
            n
        }
    };
    if shown == 0 {
        return (t.showing_none)(&total_text(total));
    }
    let first = offset + 1;
    let last = offset + shown as i64;
    (t.showing)(
        &count(lang, first),
        &count(lang, last),
        &total_text(total.max(last)),
    )
}

/// How many pages `total` items fill, at least one.
pub fn page_count(total: i64, page_size: i64) -> i64 {
    ((total + page_size - 1) / page_size).max(1)
}

/// The 1-based page number of a `?page=` value; anything unusable is page 1.
pub fn page_number(raw: Option<&str>) -> i64 {
    raw.and_then(|p| p.trim().parse::<i64>().ok())
        .filter(|p| *p >= 1)
        .unwrap_or(1)
}

/// The link to a page of `path` with the other parameters `query` (`a=1&b=2`, may be
/// empty); page 1 has no `page` parameter.
pub fn page_href(path: &str, query: &str, page: i64) -> String {
    match (page <= 1, query.is_empty()) {
        (true, true) => path.to_string(),
        (true, false) => format!("{path}?{query}"),
        (false, true) => format!("{path}?page={page}"),
        (false, false) => format!("{path}?{query}&page={page}"),
    }
}

/// The range shown and previous/next links.
#[component]
pub fn Pagination(
    /// The list's path, e.g. `/profiles`.
    path: &'static str,
    /// The current page, 1-based.
    page: i64,
    /// Items per page.
    page_size: i64,
    /// Items shown on this page (changes as items are deleted).
    #[prop(into)]
    shown: Signal<usize>,
    /// Items in all.
    #[prop(into)]
    total: Signal<i64>,
    /// Whether `total` is an estimate.
    #[prop(optional)]
    estimate: bool,
    /// `data-testid` of the range text.
    #[prop(optional)]
    testid: Option<&'static str>,
    /// Other query parameters every link keeps, e.g. `q=anna&hidden=true`.
    #[prop(optional, into)]
    query: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let offset = (page - 1) * page_size;
    let has_next = move || offset + (shown.get() as i64) < total.get();
    let query = StoredValue::new(query);
    let link = move |target: i64,
                     label: fn(&Texts) -> &'static str,
                     rel: &'static str,
                     enabled: bool| {
        let label = move || label(i18n.t());
        if enabled {
            view! { <a class="btn btn-small" href=query.with_value(|q| page_href(path, q, target)) rel=rel>{label}</a> }
                .into_any()
        } else {
            view! { <span class="btn btn-small disabled" aria-disabled="true">{label}</span> }
                .into_any()
        }
    };
    view! {
        <nav class="pagination" aria-label=tr!(i18n, pages_label)>
            <span class="pagination-range" data-testid=testid>
                {move || range_text(i18n.lang(), offset, shown.get(), total.get(), estimate)}
            </span>
            // One page needs no links.
            <Show when=move || { page > 1 || has_next() }>
                <span class="pagination-links">
                    {link(page - 1, |t| t.previous, "prev", page > 1)}
                    <span class="pagination-page">
                        {move || {
                            let pages = page_count(total.get(), page_size).max(page);
                            (i18n.t().page_of)(&count(i18n.lang(), page), &count(i18n.lang(), pages))
                        }}
                    </span>
                    {move || link(page + 1, |t| t.next, "next", has_next())}
                </span>
            </Show>
        </nav>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_read_well() {
        let en = Lang::En;
        assert_eq!(
            range_text(en, 0, 100, 1234, false),
            "Showing 1–100 of 1,234"
        );
        assert_eq!(
            range_text(en, 1200, 34, 1234, false),
            "Showing 1,201–1,234 of 1,234"
        );
        assert_eq!(range_text(en, 0, 1, 1, false), "Showing 1–1 of 1");
        assert_eq!(range_text(en, 0, 0, 0, false), "Showing 0 of 0");
        assert_eq!(
            range_text(en, 0, 100, 27273, true),
            "Showing 1–100 of about 27,273"
        );
        assert_eq!(
            range_text(Lang::Ru, 0, 100, 27273, true),
            "Показаны 1–100 из примерно 27\u{a0}273"
        );
    }

    #[test]
    fn pages_are_counted_and_parsed() {
        assert_eq!(page_count(0, 100), 1);
        assert_eq!(page_count(100, 100), 1);
        assert_eq!(page_count(101, 100), 2);
        assert_eq!(page_number(Some("3")), 3);
        for bad in [None, Some("0"), Some("-2"), Some("x"), Some("")] {
            assert_eq!(page_number(bad), 1);
        }
        assert_eq!(page_href("/profiles", "", 1), "/profiles");
        assert_eq!(page_href("/profiles", "", 2), "/profiles?page=2");
        assert_eq!(page_href("/profiles", "q=a", 1), "/profiles?q=a");
        assert_eq!(page_href("/profiles", "q=a", 3), "/profiles?q=a&page=3");
    }
}
