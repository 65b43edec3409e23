//! Every word the console shows, in English and Simplified Chinese: one catalogue, one macro line per text.
//! A text missing in one language does not compile; `tests` check placeholders match and that the UI code
//! holds no text of its own.
//!
//! The locale comes from the user's remembered choice (the header's switcher), else the configuration, else
//! the browser. Switching rebuilds the views (the route and the watcher's store stay), so texts are plain
//! `&'static str` lookups, not reactive closures.

use leptos::prelude::*;

use disk_texts::{en, zh_table};
pub use disk_texts::{fill, Locale, T};

pub const LOCALE_KEY: &str = "disk-console.locale";

/// The locale of the console being built (from context; English outside one).
pub fn locale() -> Locale {
    use_context::<Locale>().unwrap_or_default()
}

/// A text in the current locale.
pub fn t(m: T) -> &'static str {
    match locale() {
        Locale::En => en(m),
        Locale::ZhCn => zh(m),
    }
}

/// A text in the current locale, with placeholders filled in.
pub fn tf(m: T, args: &[(&str, &str)]) -> String {
    fill(t(m), args)
}

thread_local! {
    /// The Chinese texts, once [`load`] has them.
    static ZH: std::cell::Cell<Option<&'static [&'static str]>> = const { std::cell::Cell::new(None) };
}

fn zh(m: T) -> &'static str {
    match ZH.with(std::cell::Cell::get) {
        Some(texts) => texts[m as usize],
        // Not loaded (the console waits for them, so only outside a console, e.g. tests): a build with no
        // split module has them at hand; the split build shows English rather than nothing.
        None if cfg!(feature = "split") => en(m),
        None => zh_table()[m as usize],
    }
}

crate::split::split_point!(
    /// The second language's texts, in a module of their own in the split build: fetched when the console
    /// starts in Chinese or switches to it, else preloaded while the browser is idle.
    i18n_zh, preload_zh, fn zh_part() -> &'static [&'static str] {
        zh_table()
    }
);

/// Whether `locale`'s texts are here.
pub fn is_loaded(locale: Locale) -> bool {
    locale == Locale::En || ZH.with(std::cell::Cell::get).is_some()
}

/// Makes `locale`'s texts available, fetching them the first time; false where they could not be fetched.
pub async fn load(locale: Locale) -> bool {
    if is_loaded(locale) {
        return true;
    }
    match zh_part().await {
        Ok(texts) => {
            ZH.with(|c| c.set(Some(texts)));
            true
        }
        Err(crate::split::Unavailable) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// In a console the second language is loaded before anything is shown in it.
    #[test]
    fn loading_chinese_makes_it_available() {
        use futures::FutureExt;
        assert!(is_loaded(Locale::En));
        assert!(load(Locale::ZhCn).now_or_never() == Some(true));
        assert!(is_loaded(Locale::ZhCn));
        assert_eq!(zh(T::OkButton), "确定");
        assert_eq!(zh(T::Disks), Locale::ZhCn.text(T::Disks));
    }

    /// The UI code shows no text of its own: every string literal that reads as words is in the catalogue.
    /// (Technical strings — class names, IDs, wire names, key names — do not read as words.)
    #[test]
    fn ui_code_has_no_text_outside_the_catalogue() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = Vec::new();
        let mut stack = vec![root];
        while let Some(dir) = stack.pop() {
            for entry in std::fs::read_dir(&dir).unwrap().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    stack.push(path);
                    continue;
                }
                // config.rs and boot.rs speak to whoever deploys the console (configuration errors), in English;
                // api/mod.rs keeps diagnostic details in errors, which the UI never displays; leak_tests.rs is
                // tests and alloc_probe.rs a tool for soak investigations, neither in a shipped build.
                let exempt =
                    ["i18n.rs", "config.rs", "boot.rs", "api/mod.rs", "leak_tests.rs", "alloc_probe.rs"];
                if path.extension().is_none_or(|e| e != "rs") || exempt.iter().any(|f| path.ends_with(f)) {
                    continue;
                }
                let text = std::fs::read_to_string(&path).unwrap();
                let code = text.split("#[cfg(test)]").next().unwrap_or("");
                for (n, line) in code.lines().enumerate() {
                    let line_code = line.trim_start();
                    if line_code.starts_with("//") || line.contains("i18n: not shown") {
                        continue;
                    }
                    for lit in string_literals(line) {
                        if reads_as_words(&lit) {
                            found.push(format!("{}:{}: {lit:?}", path.display(), n + 1));
                        }
                    }
                }
            }
        }
        assert!(found.is_empty(), "texts outside the catalogue (crates/disk-texts):\n{}", found.join("\n"));
    }

    fn string_literals(line: &str) -> Vec<String> {
        let mut out = Vec::new();
        let mut chars = line.char_indices().peekable();
        while let Some((_, c)) = chars.next() {
            if c == '\'' {
                // a char literal like '"' or '\''
                let lit: String = chars.clone().take(3).map(|(_, c)| c).collect();
                if lit.starts_with("\"'") || lit.starts_with("\\'") || lit.starts_with("\\\"") {
                    chars.next();
                    chars.next();
                }
                continue;
            }
            if c != '"' {
                continue;
            }
            let mut lit = String::new();
            while let Some((_, c)) = chars.next() {
                match c {
                    '\\' => {
                        chars.next();
                    }
                    '"' => break,
                    c => lit.push(c),
                }
            }
            out.push(lit);
        }
        out
    }

    fn reads_as_words(s: &str) -> bool {
        const KEYS: [&str; 7] = ["Escape", "Enter", "Tab", "ArrowDown", "ArrowUp", "Home", "End"];
        if KEYS.contains(&s) || s.starts_with("dc-") || s.starts_with("aria-") {
            return false;
        }
        // Placeholders are not words: `{name} ({id})` has none.
        let mut bare = String::new();
        let mut depth = 0;
        for c in s.chars() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                c if depth == 0 => bare.push(c),
                _ => {}
            }
        }
        let s = bare.as_str();
        if !s.chars().any(|c| c.is_alphabetic()) {
            return false; // punctuation and placeholders only: "—", "{} · {}"
        }
        if !s.is_ascii() {
            return true; // Chinese, or typographic quotes
        }
        let tokens: Vec<&str> = s.split_whitespace().collect();
        // One technical token: `snapshot-name`, `diskId`, `pageSize`, `true`, `/disks`.
        let technical = |t: &str| {
            let wire_constant = t.chars().all(|c| c.is_ascii_uppercase() || c == '_')
                && (t.len() == 1 || t.len() >= 5 || t.contains('_'));
            wire_constant
                || (t.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:?=&%#[](),*".contains(c))
                    && t.chars().next().is_some_and(|c| !c.is_ascii_uppercase()))
        };
        if tokens.len() == 1 {
            return !technical(tokens[0]);
        }
        // Several tokens read as words unless each is an ID (`snapshot-name-help snapshot-name-error`).
        // or CSS selectors (`input:not([disabled]), textarea`).
        let mark = |t: &str| t.contains(['-', '_', ':', '[', '(', '.']) || t.ends_with(',');
        !tokens.iter().all(|t| technical(t) && (mark(t) || tokens.iter().any(|o| o.contains(':'))))
    }
}
