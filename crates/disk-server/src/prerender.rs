//! The console's first view, rendered by the server into its own page: the header and the first page of the
//! disk list, the same markup the console builds (`src/lib.rs`, `src/pages/disk_list.rs` and the components
//! they use), from the same texts and wording (disk-texts). The browser paints it with the HTML, before any
//! script has run; the console then builds its own view from the same answers (in the page, see
//! [`answers_element`]) and replaces this one in a single task, so nothing moves. A click in between is
//! replayed on the console's view (the page's start script records it).
//!
//! Only views the server can render exactly are rendered: anything else (a viewer's disabled actions, a
//! full quota, a page past the end) is left to the console, as without this.

use disk_api::console_url::{page_count, DiskListState, PAGE_SIZES};
use disk_api::query::encode_component;
use disk_api::{AttachmentStatus, ConsoleSession, DescribeDisksResult, Disk, Quota};
use disk_texts::words::{self, Lookup};
use disk_texts::{fill, Locale, T};

/// What the first view shows.
pub struct FirstView<'a> {
    pub locale: Locale,
    /// The console's base path (`/portal/disks`, or empty): its links start with it, as the console's do.
    pub base_path: &'a str,
    /// `auto`, `light` or `dark`.
    pub theme: &'a str,
    pub session: &'a ConsoleSession,
    /// The regions the console offers.
    pub regions: &'a [String],
    pub state: &'a DiskListState,
    pub disks: &'a DescribeDisksResult,
    pub quota: &'a Quota,
    /// Instance ID → name, where describeInstances answered.
    pub instance_names: &'a std::collections::HashMap<String, String>,
}

/// Markup under construction; text and attribute values are always escaped.
#[derive(Default)]
struct Html(String);

impl Html {
    /// `<tag a="v"…>`.
    fn open(&mut self, tag: &str, attrs: &[(&str, &str)]) -> &mut Self {
        self.0.push('<');
        self.0.push_str(tag);
        for (k, v) in attrs {
            self.0.push(' ');
            self.0.push_str(k);
            self.0.push_str("=\"");
            escape_into(&mut self.0, v);
            self.0.push('"');
        }
        self.0.push('>');
        self
    }
    fn close(&mut self, tag: &str) -> &mut Self {
        self.0.push_str("</");
        self.0.push_str(tag);
        self.0.push('>');
        self
    }
    fn text(&mut self, s: &str) -> &mut Self {
        escape_into(&mut self.0, s);
        self
    }
    /// `<tag attrs>text</tag>`.
    fn leaf(&mut self, tag: &str, attrs: &[(&str, &str)], text: &str) -> &mut Self {
        self.open(tag, attrs).text(text).close(tag)
    }
}

fn escape_into(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// The first view's markup (the console's `.dc-app` element, marked `data-prerendered`), or `None` where the
/// server cannot render exactly what the console will.
pub fn render(v: &FirstView) -> Option<String> {
    let (state, disks) = (v.state, v.disks);
    if v.session.is_viewer() || v.quota.used >= v.quota.limit || !v.regions.contains(&state.region) {
        return None;
    }
    if disks.total_count > 0 && state.page > page_count(disks.total_count, state.page_size) {
        return None;
    }
    let locale = v.locale;
    let t: Lookup = &move |m| locale.text(m);
    let mut h = Html::default();
    h.open(
        "div",
        &[("class", "dc-app"), ("data-theme", v.theme), ("lang", locale.tag()), ("data-prerendered", "")],
    );
    header(&mut h, v, t);
    h.open("div", &[("class", "dc-toasts")]);
    h.leaf("div", &[("role", "status"), ("aria-live", "polite")], "");
    h.leaf("div", &[("role", "alert"), ("aria-live", "assertive")], "");
    h.close("div");
    h.open("main", &[("class", "dc-main"), ("id", "main")]);
    h.open("section", &[("class", "dc-page"), ("aria-labelledby", "disk-list-title")]);
    h.open("div", &[("class", "dc-page__head")]);
    h.leaf("h1", &[("id", "disk-list-title")], t(T::CloudDisks));
    h.open("form", &[("class", "dc-search"), ("role", "search")]);
    h.leaf("label", &[("for", "disk-search")], t(T::SearchByName));
    h.open(
        "input",
        &[
            ("id", "disk-search"),
            ("type", "search"),
            ("value", &state.name),
            ("placeholder", t(T::SearchPlaceholder)),
            ("maxlength", "32"),
        ],
    );
    h.leaf("button", &[("type", "submit"), ("class", "dc-button")], t(T::Search));
    if !state.name.is_empty() {
        h.leaf("button", &[("type", "button"), ("class", "dc-button")], t(T::ClearSearch));
    }
    h.close("form").close("div");
    h.open("div", &[("class", "dc-toolbar")]);
    h.open("div", &[("class", "dc-quota")]);
    let (limit, used) = (v.quota.limit.to_string(), v.quota.used.to_string());
    let high = v.quota.limit.saturating_sub(1).to_string();
    h.leaf(
        "meter",
        &[
            ("min", "0"),
            ("max", &limit),
            ("value", &used),
            ("high", &high),
            ("aria-label", t(T::SnapshotQuota)),
        ],
        "",
    );
    let quota_line = fill(t(T::QuotaLine), &[("used", &used), ("limit", &limit), ("region", &state.region)]);
    h.leaf("span", &[], &quota_line);
    h.close("div");
    h.open("span", &[("class", "dc-freshness")]);
    h.leaf("span", &[("class", "dc-muted"), ("role", "status")], t(T::UpdatedJustNow));
    h.leaf("button", &[("type", "button"), ("class", "dc-button dc-button--small")], t(T::Refresh));
    h.close("span").close("div");
    if disks.total_count == 0 {
        let message = if state.name.is_empty() {
            fill(t(T::NoDisks), &[("region", &state.region)])
        } else {
            fill(t(T::NoDisksNamed), &[("region", &state.region), ("name", &state.name)])
        };
        h.open("div", &[("class", "dc-empty"), ("role", "status")]).leaf("p", &[], &message).close("div");
    } else {
        table(&mut h, v, t);
        pager(&mut h, state, disks.total_count, t);
    }
    h.close("section").close("main").close("div");
    Some(h.0)
}

fn header(h: &mut Html, v: &FirstView, t: Lookup) {
    h.open("header", &[("class", "dc-header")]);
    let (disks, snapshots) = (format!("{}/disks", v.base_path), format!("{}/snapshots", v.base_path));
    h.leaf("a", &[("href", &disks), ("class", "dc-brand")], t(T::ConsoleName));
    h.open("nav", &[("aria-label", t(T::MainNav)), ("class", "dc-nav")]);
    h.leaf("a", &[("href", &disks), ("aria-current", "page")], t(T::Disks));
    h.leaf("a", &[("href", &snapshots)], t(T::Snapshots));
    h.close("nav");
    if v.session.is_emulator() {
        let hint = t(T::EmulatedRegionHint);
        h.open("span", &[("class", "dc-env dc-env--demo"), ("title", hint)]).text(t(T::EmulatedRegion));
        h.leaf("span", &[("class", "dc-visually-hidden")], &format!(" ({hint})")).close("span");
    } else {
        let role = if v.session.role.as_deref() == Some("viewer") { T::RoleViewer } else { T::RoleOperator };
        let text =
            fill(t(T::SignedInAs), &[("user", v.session.user.as_deref().unwrap_or("")), ("role", t(role))]);
        h.leaf("span", &[("class", "dc-env"), ("title", t(T::SignedInHint))], &text);
    }
    h.open("label", &[("class", "dc-region")]);
    h.leaf("span", &[("class", "dc-region__label")], t(T::Region));
    h.open("select", &[]);
    for id in v.regions {
        let attrs: &[(&str, &str)] =
            if *id == v.state.region { &[("value", id), ("selected", "")] } else { &[("value", id)] };
        h.leaf("option", attrs, &words::region_label(id, t));
    }
    h.close("select").close("label");
    h.open("label", &[("class", "dc-region dc-lang")]);
    h.leaf("span", &[("class", "dc-visually-hidden")], t(T::Language));
    h.open("select", &[]);
    for l in Locale::ALL {
        let attrs: &[(&str, &str)] = if l == v.locale {
            &[("value", l.tag()), ("selected", ""), ("lang", l.tag())]
        } else {
            &[("value", l.tag()), ("lang", l.tag())]
        };
        h.leaf("option", attrs, l.native_name());
    }
    h.close("select").close("label");
    h.close("header");
}

fn table(h: &mut Html, v: &FirstView, t: Lookup) {
    h.open("div", &[("class", "dc-table-wrap"), ("aria-busy", "false")]);
    h.open("table", &[("class", "dc-table")]);
    h.leaf("caption", &[("class", "dc-visually-hidden")], t(T::CloudDisksTable));
    h.open("thead", &[]).open("tr", &[]);
    h.leaf("th", &[("scope", "col"), ("class", "dc-cell-name")], t(T::Name));
    for m in [T::Status, T::Type, T::Capacity, T::Az, T::AttachedInstance, T::Created] {
        h.leaf("th", &[("scope", "col")], t(m));
    }
    h.leaf("th", &[("scope", "col"), ("class", "dc-actions")], t(T::Actions));
    h.close("tr").close("thead");
    h.open("tbody", &[]);
    for d in &v.disks.disks {
        row(h, d, v, t);
    }
    h.close("tbody").close("table").close("div");
}

/// One disk, as `disk_row` builds it.
fn row(h: &mut Html, d: &Disk, v: &FirstView, t: Lookup) {
    let (region, names) = (&v.state.region, v.instance_names);
    let href =
        format!("{}/disks/{}?region={}", v.base_path, encode_component(&d.disk_id), encode_component(region));
    h.open("tr", &[]);
    h.open("th", &[("scope", "row"), ("class", "dc-cell-name")]);
    h.leaf("a", &[("href", &href), ("class", "dc-name")], &d.name);
    h.leaf("span", &[("class", "dc-id")], &d.disk_id);
    h.close("th");
    let (label, tone) = words::disk_status(&d.status, t);
    h.open("td", &[]).leaf("span", &[("class", tone.class())], &label).close("td");
    h.leaf("td", &[], &words::disk_type(&d.disk_type, t));
    h.leaf("td", &[], &words::capacity_gib(d.disk_size_gb, t));
    h.leaf("td", &[], &d.az);
    // `web-01 (i-…)`, as the console's `names::with_id`.
    let attached: Vec<String> = d
        .attachments
        .iter()
        .filter(|a| a.status != AttachmentStatus::Detached)
        .map(|a| match names.get(&a.instance_id) {
            Some(n) if !n.is_empty() && *n != a.instance_id => format!("{n} ({})", a.instance_id),
            _ => a.instance_id.clone(),
        })
        .collect();
    h.leaf("td", &[], &if attached.is_empty() { "—".to_owned() } else { attached.join(", ") });
    h.open("td", &[]);
    h.leaf("time", &[("datetime", &d.create_time)], &words::short_time(&d.create_time));
    h.close("td");
    let why_id = format!("why-{}", d.disk_id);
    h.open("td", &[("class", "dc-actions")]);
    let button = [("type", "button"), ("class", "dc-button dc-button--small")];
    if words::can_snapshot(&d.status) {
        h.leaf("button", &button, t(T::CreateSnapshot));
        h.leaf("span", &[("class", "dc-why"), ("id", &why_id)], "");
    } else {
        let blocked = [button[0], button[1], ("aria-describedby", &why_id), ("disabled", "")];
        h.leaf("button", &blocked, t(T::CreateSnapshot));
        h.leaf("span", &[("class", "dc-why"), ("id", &why_id)], t(T::StatusForbidsSnapshot));
    }
    h.close("td").close("tr");
}

fn pager(h: &mut Html, state: &DiskListState, total: u32, t: Lookup) {
    let (page, size) = (state.page, state.page_size);
    let pages = page_count(total, size);
    let first = (page - 1) * size + 1;
    let (from, to) = if first > total { (0, 0) } else { (first, (page * size).min(total)) };
    let n = |x: u32| words::thousands(x.into());
    h.open("nav", &[("class", "dc-pager"), ("aria-label", t(T::Pages))]);
    let range = fill(t(T::PagerRange), &[("from", &n(from)), ("to", &n(to)), ("total", &n(total))]);
    h.leaf("span", &[("class", "dc-pager__range"), ("aria-live", "polite")], &range);
    let button = |h: &mut Html, off: bool, text: &str| {
        let attrs: &[(&str, &str)] = if off {
            &[("type", "button"), ("class", "dc-button"), ("disabled", "")]
        } else {
            &[("type", "button"), ("class", "dc-button")]
        };
        h.leaf("button", attrs, text);
    };
    button(h, page <= 1, t(T::Previous));
    let of = fill(t(T::PageOf), &[("page", &page.to_string()), ("pages", &pages.to_string())]);
    h.leaf("span", &[("class", "dc-pager__page")], &of);
    button(h, page >= pages, t(T::Next));
    h.open("label", &[("class", "dc-pager__size")]).text(t(T::PerPage)).open("select", &[]);
    for s in PAGE_SIZES {
        let value = s.to_string();
        let attrs: &[(&str, &str)] =
            if s == size { &[("value", &value), ("selected", "")] } else { &[("value", &value)] };
        h.leaf("option", attrs, &value);
    }
    h.close("select").close("label").close("nav");
}

/// The answers the first view was rendered from, keyed by the request the console will make for each
/// (path and query below the origin), in a JSON element the console reads instead of asking again. Each
/// answer is JSON text as the API sent it (the caller has parsed it), written into the element as it is.
pub fn answers_element(answers: &[(String, &str)]) -> String {
    let mut json = String::from("{");
    for (i, (request, answer)) in answers.iter().enumerate() {
        if i > 0 {
            json.push(',');
        }
        json.push_str(&serde_json::Value::from(request.as_str()).to_string());
        json.push(':');
        json.push_str(answer);
    }
    json.push('}');
    // `<` only occurs inside JSON strings, where `\u003c` means the same: no `</script>` can end the element.
    let json = json.replace('<', "\\u003c");
    format!(r#"<script type="application/json" id="disk-console-answers">{json}</script>"#)
}

/// The page's language as the console would choose it without a remembered choice (the configuration's,
/// else the browser's `Accept-Language`, in order), or the remembered one from its cookie.
pub fn choose_locale(
    cookie: Option<&str>,
    configured: Option<&str>,
    accept_language: Option<&str>,
) -> Locale {
    let browser = accept_language.unwrap_or("").split(',').map(|l| l.split(';').next().unwrap_or("").trim());
    Locale::choose(cookie.into_iter().chain(configured).chain(browser))
}

#[cfg(test)]
mod tests {
    use super::*;
    use disk_api::{DiskAttachment, DiskStatus, DiskType};

    fn disk(id: &str, name: &str, status: DiskStatus) -> Disk {
        Disk {
            disk_id: id.into(),
            name: name.into(),
            status,
            disk_type: DiskType::SsdGp1,
            disk_size_gb: 16000,
            az: "cn-north-1a".into(),
            create_time: "2026-11-28T15:00:22+08:00".into(),
            ..Default::default()
        }
    }

    static NAMES: std::sync::LazyLock<std::collections::HashMap<String, String>> =
        std::sync::LazyLock::new(|| [("i-1".to_owned(), "web-<1>".to_owned())].into());

    fn view<'a>(
        session: &'a ConsoleSession,
        regions: &'a [String],
        state: &'a DiskListState,
        disks: &'a DescribeDisksResult,
        quota: &'a Quota,
    ) -> FirstView<'a> {
        FirstView {
            locale: Locale::En,
            base_path: "",
            theme: "auto",
            session,
            regions,
            state,
            disks,
            quota,
            instance_names: &NAMES,
        }
    }

    #[test]
    fn a_page_of_disks_with_untrusted_text_escaped() {
        let mut a = disk("vol-1", "<img src=x onerror=alert(1)>", DiskStatus::InUse);
        a.attachments = vec![DiskAttachment {
            instance_id: "i-1".into(),
            status: AttachmentStatus::Attached,
            ..Default::default()
        }];
        let b = disk("vol-\"2", "归档", DiskStatus::Creating);
        let disks = DescribeDisksResult { disks: vec![a, b], total_count: 2 };
        let session = ConsoleSession { backend: ConsoleSession::EMULATOR.into(), user: None, role: None };
        let regions = vec!["cn-north-1".to_owned(), "cn-east-2".to_owned()];
        let state = DiskListState::from_query(|_| None, "cn-north-1");
        let quota = Quota { limit: 15, used: 4 };
        let html = render(&view(&session, &regions, &state, &disks, &quota)).unwrap();
        assert!(html.starts_with(r#"<div class="dc-app" data-theme="auto" lang="en" data-prerendered="">"#));
        assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;</a>"), "{html}");
        assert!(!html.contains("<img"));
        assert!(html.contains(r#"id="why-vol-&quot;2""#));
        assert!(html.contains("<td>16,000 GiB</td>"));
        assert!(html.contains("<td>web-&lt;1&gt; (i-1)</td>"), "{html}");
        assert!(html.contains(
            r#"<option value="cn-north-1" selected="">North China (Beijing) · cn-north-1</option>"#
        ));
        assert!(html.contains(r#"<span>4 of 15 snapshots used in cn-north-1</span>"#));
        assert!(html.contains("1–2 of 2"));
        // A disk being created cannot be snapshotted: its button says why.
        assert!(html.contains(r#"aria-describedby="why-vol-&quot;2" disabled="">Create Snapshot</button>"#));
        assert!(html.ends_with("</nav></section></main></div>"));

        let zh = FirstView { locale: Locale::ZhCn, ..view(&session, &regions, &state, &disks, &quota) };
        let html = render(&zh).unwrap();
        assert!(html.contains(r#"lang="zh-CN""#) && html.contains("创建快照"), "{html}");
        // Below a base path every link starts with it, as the console's do.
        let below = FirstView { base_path: "/portal", ..view(&session, &regions, &state, &disks, &quota) };
        let html = render(&below).unwrap();
        assert!(html.contains(r#"<a href="/portal/disks" class="dc-brand">"#));
        assert!(
            html.contains(r#"<a href="/portal/disks/vol-1?region=cn-north-1" class="dc-name">"#),
            "{html}"
        );
        assert!(!html.contains(r#"href="/disks"#));

        // What the server cannot render as the console would: left to the console.
        let viewer =
            ConsoleSession { backend: "jdcloud".into(), user: Some("u".into()), role: Some("viewer".into()) };
        assert!(render(&view(&viewer, &regions, &state, &disks, &quota)).is_none());
        let full = Quota { limit: 15, used: 15 };
        assert!(render(&view(&session, &regions, &state, &disks, &full)).is_none());
        let past = DiskListState { page: 3, ..state.clone() };
        assert!(render(&view(&session, &regions, &past, &disks, &quota)).is_none());
        let mars = DiskListState { region: "mars-1".into(), ..state.clone() };
        assert!(render(&view(&session, &regions, &mars, &disks, &quota)).is_none());
    }

    #[test]
    fn no_disks_and_the_search_kept() {
        let none = DescribeDisksResult { disks: vec![], total_count: 0 };
        let session = ConsoleSession {
            backend: "jdcloud".into(),
            user: Some("ann".into()),
            role: Some("operator".into()),
        };
        let regions = vec!["cn-north-1".to_owned()];
        let state =
            DiskListState { name: "a\"b".into(), ..DiskListState::from_query(|_| None, "cn-north-1") };
        let quota = Quota { limit: 15, used: 0 };
        let html = render(&view(&session, &regions, &state, &none, &quota)).unwrap();
        assert!(html.contains(r#"value="a&quot;b""#));
        assert!(html.contains("Clear Search") || html.contains(">Clear"), "{html}");
        assert!(html.contains("No disks in cn-north-1 have a name containing “a&quot;b”."), "{html}");
        assert!(html.contains(">ann · operator</span>"));
        assert!(!html.contains("dc-pager"));
    }

    #[test]
    fn the_language_as_the_console_chooses_it() {
        assert_eq!(choose_locale(None, None, Some("zh-CN,zh;q=0.9,en;q=0.8")), Locale::ZhCn);
        assert_eq!(choose_locale(None, Some("en"), Some("zh-CN")), Locale::En);
        assert_eq!(choose_locale(Some("zh-CN"), Some("en"), None), Locale::ZhCn);
        assert_eq!(choose_locale(None, None, Some("fr-FR, de")), Locale::En);
        assert_eq!(choose_locale(None, None, None), Locale::En);
    }

    #[test]
    fn answers_cannot_end_their_element_and_read_as_they_were_sent() {
        let (a, b) = (r#"{"name": "</script><b>", "n": [1, 2.5]}"#, r#"{"requestId":"r\"<!--"}"#);
        let e = answers_element(&[("/v1/x?a=\"<".into(), a), ("/v1/y".into(), b)]);
        assert!(e.matches("</script>").count() == 1 && e.ends_with("</script>"));
        assert!(!e.contains("<!--") && !e.contains("<b>"));
        let inner = e.strip_prefix(r#"<script type="application/json" id="disk-console-answers">"#).unwrap();
        let read: serde_json::Value = serde_json::from_str(inner.strip_suffix("</script>").unwrap()).unwrap();
        let sent = |t: &str| serde_json::from_str::<serde_json::Value>(t).unwrap();
        assert_eq!(read, serde_json::json!({"/v1/x?a=\"<": sent(a), "/v1/y": sent(b)}));
    }
}
