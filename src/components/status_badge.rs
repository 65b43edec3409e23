use crate::format::Tone;
use leptos::prelude::*;

/// A status as a word in a coloured pill: the text carries the meaning, the colour only repeats it.
#[component]
pub fn StatusBadge(
    /// The readable status, e.g. "In use".
    #[prop(into)]
    label: Signal<String>,
    /// How it looks.
    #[prop(into)]
    tone: Signal<Tone>,
) -> impl IntoView {
    view! { <span class=move || tone.get().class()>{label}</span> }
}
