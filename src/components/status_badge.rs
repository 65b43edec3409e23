use crate::dom::{el, set_attr, set_text, El};
use crate::format::Tone;

/// A status as a word in a coloured pill: the text carries the meaning, the colour only repeats it. One
/// effect keeps the word and the tone in step with `status`; the element stays, so a status change is an
/// update in place.
pub fn status_badge(status: impl Fn() -> (String, Tone) + 'static) -> El {
    el("span").dyn_with(move |e| {
        let (label, tone) = status();
        set_attr(e, "class", Some(tone.class()));
        set_text(e, &label);
    })
}
