//! Keyboard focus for the widgets iced 0.14 cannot focus: buttons, check boxes and lists.
//!
//! iced focuses only text fields, so Tab skipped every button and every choice, and a
//! receptionist had to reach for the mouse five times per walk-in. [`Focus`] wraps any widget,
//! takes part in `focus_next`/`focus_previous` like a text field, draws a ring while focused,
//! and turns the keys pressed on it into the screen's own messages: Enter or Space on a button,
//! Space on a check box, letters and arrows on a list (type-ahead, as a native list does).

use iced::advanced::layout;
use iced::advanced::mouse;
use iced::advanced::overlay;
use iced::advanced::renderer::{self, Quad};
use iced::advanced::widget::operation::Focusable;
use iced::advanced::widget::{self, Operation, Tree, tree};
use iced::advanced::{Clipboard, Layout, Shell, Widget};
use iced::keyboard::{self, Key, key::Named};
use iced::widget::{self as iced_widget, pick_list};
use iced::{Border, Color, Element, Event, Length, Rectangle, Size, Theme, Vector};
use unicode_normalization::UnicodeNormalization;

/// A key pressed on a focused widget, with the type-ahead typed on it so far.
pub struct KeyPress<'k> {
    pub key: &'k Key,
    pub modifiers: keyboard::Modifiers,
    pub text: Option<&'k str>,
    /// Letters typed on this widget since it took focus; a list keeps what it matched here.
    pub typed: &'k mut String,
}

type OnKey<'a, Message> = Box<dyn Fn(KeyPress<'_>) -> Option<Message> + 'a>;

/// A widget that can hold the keyboard focus.
pub struct Focus<'a, Message> {
    content: Element<'a, Message>,
    id: widget::Id,
    on_key: OnKey<'a, Message>,
}

#[derive(Debug, Default)]
struct State {
    focused: bool,
    typed: String,
}

impl Focusable for State {
    fn is_focused(&self) -> bool {
        self.focused
    }

    fn focus(&mut self) {
        self.focused = true;
    }

    fn unfocus(&mut self) {
        self.focused = false;
        self.typed.clear();
    }
}

impl<'a, Message> Focus<'a, Message> {
    pub fn new(
        id: impl Into<widget::Id>,
        content: impl Into<Element<'a, Message>>,
        on_key: impl Fn(KeyPress<'_>) -> Option<Message> + 'a,
    ) -> Self {
        Focus {
            content: content.into(),
            id: id.into(),
            on_key: Box::new(on_key),
        }
    }
}

impl<Message> Widget<Message, Theme, iced::Renderer> for Focus<'_, Message> {
    fn tag(&self) -> tree::Tag {
        tree::Tag::of::<State>()
    }

    fn state(&self) -> tree::State {
        tree::State::new(State::default())
    }

    fn children(&self) -> Vec<Tree> {
        vec![Tree::new(&self.content)]
    }

    fn diff(&self, tree: &mut Tree) {
        tree.diff_children(std::slice::from_ref(&self.content));
    }

    fn size(&self) -> Size<Length> {
        self.content.as_widget().size()
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &iced::Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        self.content
            .as_widget_mut()
            .layout(&mut tree.children[0], renderer, limits)
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &iced::Renderer,
        operation: &mut dyn Operation,
    ) {
        let state = tree.state.downcast_mut::<State>();
        operation.focusable(Some(&self.id), layout.bounds(), state);
        self.content
            .as_widget_mut()
            .operate(&mut tree.children[0], layout, renderer, operation);
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &iced::Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, Message>,
        viewport: &Rectangle,
    ) {
        let state = tree.state.downcast_mut::<State>();
        match event {
            // A click moves the focus here, or away, as it does for a text field.
            Event::Mouse(mouse::Event::ButtonPressed(_)) => {
                if cursor.is_over(layout.bounds()) {
                    state.focused = true;
                } else {
                    state.unfocus();
                }
            }
            Event::Keyboard(keyboard::Event::KeyPressed {
                key,
                modifiers,
                text,
                ..
            }) if state.focused => {
                let press = KeyPress {
                    key,
                    modifiers: *modifiers,
                    text: text.as_deref(),
                    typed: &mut state.typed,
                };
                if let Some(message) = (self.on_key)(press) {
                    shell.publish(message);
                    shell.capture_event();
                    shell.request_redraw();
                    return;
                }
            }
            _ => {}
        }
        self.content.as_widget_mut().update(
            &mut tree.children[0],
            event,
            layout,
            cursor,
            renderer,
            clipboard,
            shell,
            viewport,
        );
    }

    fn mouse_interaction(
        &self,
        tree: &Tree,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
        renderer: &iced::Renderer,
    ) -> mouse::Interaction {
        self.content.as_widget().mouse_interaction(
            &tree.children[0],
            layout,
            cursor,
            viewport,
            renderer,
        )
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut iced::Renderer,
        theme: &Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        self.content.as_widget().draw(
            &tree.children[0],
            renderer,
            theme,
            style,
            layout,
            cursor,
            viewport,
        );
        if tree.state.downcast_ref::<State>().focused {
            use iced::advanced::Renderer as _;
            renderer.fill_quad(
                Quad {
                    bounds: layout.bounds(),
                    border: Border {
                        color: focus_color(theme),
                        width: FOCUS_RING,
                        radius: 4.0.into(),
                    },
                    ..Quad::default()
                },
                Color::TRANSPARENT,
            );
        }
    }

    fn overlay<'b>(
        &'b mut self,
        tree: &'b mut Tree,
        layout: Layout<'b>,
        renderer: &iced::Renderer,
        viewport: &Rectangle,
        translation: Vector,
    ) -> Option<overlay::Element<'b, Message, Theme, iced::Renderer>> {
        self.content.as_widget_mut().overlay(
            &mut tree.children[0],
            layout,
            renderer,
            viewport,
            translation,
        )
    }
}

impl<'a, Message: 'a> From<Focus<'a, Message>> for Element<'a, Message> {
    fn from(focus: Focus<'a, Message>) -> Element<'a, Message> {
        Element::new(focus)
    }
}

/// Where Tab and Shift+Tab move the focus: inside this widget, at once. Moving it through a
/// task after the update let a fast typist's next letter land in the field just left
/// ("RossiA" / "nna" under Xvfb with 40 ms between keys); here the move happens while the Tab
/// key is being handled, before the next key arrives.
pub struct Scope<'a, Message> {
    content: Element<'a, Message>,
}

impl<'a, Message> Scope<'a, Message> {
    pub fn new(content: impl Into<Element<'a, Message>>) -> Self {
        Scope {
            content: content.into(),
        }
    }
}

impl<Message> Widget<Message, Theme, iced::Renderer> for Scope<'_, Message> {
    fn children(&self) -> Vec<Tree> {
        vec![Tree::new(&self.content)]
    }

    fn diff(&self, tree: &mut Tree) {
        tree.diff_children(std::slice::from_ref(&self.content));
    }

    fn size(&self) -> Size<Length> {
        self.content.as_widget().size()
    }

    fn layout(
        &mut self,
        tree: &mut Tree,
        renderer: &iced::Renderer,
        limits: &layout::Limits,
    ) -> layout::Node {
        self.content
            .as_widget_mut()
            .layout(&mut tree.children[0], renderer, limits)
    }

    fn operate(
        &mut self,
        tree: &mut Tree,
        layout: Layout<'_>,
        renderer: &iced::Renderer,
        operation: &mut dyn Operation,
    ) {
        self.content
            .as_widget_mut()
            .operate(&mut tree.children[0], layout, renderer, operation);
    }

    fn update(
        &mut self,
        tree: &mut Tree,
        event: &Event,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        renderer: &iced::Renderer,
        clipboard: &mut dyn Clipboard,
        shell: &mut Shell<'_, Message>,
        viewport: &Rectangle,
    ) {
        self.content.as_widget_mut().update(
            &mut tree.children[0],
            event,
            layout,
            cursor,
            renderer,
            clipboard,
            shell,
            viewport,
        );
        let Event::Keyboard(keyboard::Event::KeyPressed {
            key: Key::Named(Named::Tab),
            modifiers,
            ..
        }) = event
        else {
            return;
        };
        if shell.is_event_captured() {
            return;
        }
        let mut operation: Box<dyn Operation> = if modifiers.shift() {
            Box::new(widget::operation::focusable::focus_previous())
        } else {
            Box::new(widget::operation::focusable::focus_next())
        };
        loop {
            self.content.as_widget_mut().operate(
                &mut tree.children[0],
                layout,
                renderer,
                operation.as_mut(),
            );
            match operation.finish() {
                widget::operation::Outcome::Chain(next) => operation = next,
                _ => break,
            }
        }
        shell.capture_event();
        shell.request_redraw();
    }

    fn mouse_interaction(
        &self,
        tree: &Tree,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
        renderer: &iced::Renderer,
    ) -> mouse::Interaction {
        self.content.as_widget().mouse_interaction(
            &tree.children[0],
            layout,
            cursor,
            viewport,
            renderer,
        )
    }

    fn draw(
        &self,
        tree: &Tree,
        renderer: &mut iced::Renderer,
        theme: &Theme,
        style: &renderer::Style,
        layout: Layout<'_>,
        cursor: mouse::Cursor,
        viewport: &Rectangle,
    ) {
        self.content.as_widget().draw(
            &tree.children[0],
            renderer,
            theme,
            style,
            layout,
            cursor,
            viewport,
        );
    }

    fn overlay<'b>(
        &'b mut self,
        tree: &'b mut Tree,
        layout: Layout<'b>,
        renderer: &iced::Renderer,
        viewport: &Rectangle,
        translation: Vector,
    ) -> Option<overlay::Element<'b, Message, Theme, iced::Renderer>> {
        self.content.as_widget_mut().overlay(
            &mut tree.children[0],
            layout,
            renderer,
            viewport,
            translation,
        )
    }
}

impl<'a, Message: 'a> From<Scope<'a, Message>> for Element<'a, Message> {
    fn from(scope: Scope<'a, Message>) -> Element<'a, Message> {
        Element::new(scope)
    }
}

/// Width of the ring around a focused widget: thick enough to see from a step back.
pub const FOCUS_RING: f32 = 3.0;

/// The ring's colour: the theme's strong primary on a light ground, a light blue on a dark
/// one (the contrast test holds both to 3:1).
pub fn focus_color(theme: &Theme) -> Color {
    let palette = theme.extended_palette();
    if palette.is_dark {
        Color::from_rgb8(0x9C, 0xAE, 0xFF)
    } else {
        palette.primary.strong.color
    }
}

/// A text field's look, with a focus as visible as the ring around buttons and lists.
pub fn input_style(
    theme: &Theme,
    status: iced::widget::text_input::Status,
) -> iced::widget::text_input::Style {
    let mut style = iced::widget::text_input::default(theme, status);
    if let iced::widget::text_input::Status::Focused { .. } = status {
        style.border.width = FOCUS_RING;
        style.border.color = focus_color(theme);
    }
    style
}

/// A button that Tab reaches and Enter or Space presses, as a click does; `None` disables it.
pub fn button<'a, Message: Clone + 'a>(
    id: impl Into<widget::Id>,
    button: iced_widget::Button<'a, Message>,
    on_press: Option<Message>,
) -> Element<'a, Message> {
    let button = button.on_press_maybe(on_press.clone());
    Focus::new(id, button, move |k| match k.key {
        Key::Named(Named::Enter | Named::Space) => on_press.clone(),
        _ => None,
    })
    .into()
}

/// A check box that Tab reaches and Space ticks.
pub fn checkbox<'a, Message: Clone + 'a>(
    id: &'static str,
    checkbox: iced_widget::Checkbox<'a, Message>,
    checked: bool,
    on_toggle: impl Fn(bool) -> Message + 'a,
) -> Element<'a, Message> {
    Focus::new(id, checkbox, move |k| match k.key {
        Key::Named(Named::Space) => Some(on_toggle(!checked)),
        _ => None,
    })
    .into()
}

/// A list to choose from by typing its first letters (or the first letters of any word in
/// it), or with the arrows; the mouse still opens it.
pub fn choice<'a, T, Message>(
    id: &'static str,
    options: Vec<T>,
    selected: Option<T>,
    on_select: impl Fn(T) -> Message + Clone + 'a,
    placeholder: impl Into<String>,
) -> Element<'a, Message>
where
    T: ToString + PartialEq + Clone + 'a,
    Message: Clone + 'a,
{
    let list = pick_list(options.clone(), selected.clone(), on_select.clone())
        .placeholder(placeholder)
        .width(Length::Fill);
    Focus::new(id, list, move |k| {
        let current = selected
            .as_ref()
            .and_then(|s| options.iter().position(|o| o == s));
        let index = match k.key {
            Key::Named(Named::ArrowDown) => {
                Some(current.map_or(0, |i| (i + 1).min(options.len().saturating_sub(1))))
            }
            Key::Named(Named::ArrowUp) => Some(current.map_or(0, |i| i.saturating_sub(1))),
            Key::Named(Named::Home) => Some(0),
            Key::Named(Named::End) => Some(options.len().saturating_sub(1)),
            _ if k.modifiers.control() || k.modifiers.alt() || k.modifiers.logo() => None,
            _ => {
                let typed = k.text.filter(|t| t.chars().all(char::is_alphanumeric))?;
                let labels: Vec<String> = options.iter().map(ToString::to_string).collect();
                type_ahead(&labels, current, k.typed, typed)
            }
        }?;
        options.get(index).cloned().map(&on_select)
    })
    .into()
}

/// The option that letters typed on a list choose. What was typed before extends the search
/// ("co" after "c"); a letter that matches nothing with it starts afresh; the same letter
/// again steps through the options it starts, as a native list does.
pub fn type_ahead(
    labels: &[String],
    current: Option<usize>,
    typed: &mut String,
    key: &str,
) -> Option<usize> {
    let key = fold(key);
    if key.is_empty() {
        return None;
    }
    let folded: Vec<String> = labels.iter().map(|l| fold(l)).collect();
    let repeat = !typed.is_empty() && typed.chars().all(|c| key.chars().all(|k| k == c));
    let mut longer = typed.clone();
    longer.push_str(&key);
    if let Some(i) = first_match(&folded, &longer) {
        *typed = longer;
        return Some(i);
    }
    if repeat {
        // "s", "s": the next option that "s" chooses, after the current one.
        let starts: Vec<usize> = (0..folded.len())
            .filter(|&i| matches(&folded[i], &key))
            .collect();
        let next = starts
            .iter()
            .copied()
            .find(|&i| current.is_some_and(|c| i > c))
            .or(starts.first().copied());
        if next.is_some() {
            return next;
        }
    }
    let found = first_match(&folded, &key);
    if found.is_some() {
        *typed = key;
    }
    found
}

fn first_match(folded: &[String], typed: &str) -> Option<usize> {
    folded
        .iter()
        .position(|l| l.starts_with(typed))
        .or_else(|| folded.iter().position(|l| matches(l, typed)))
}

/// Whether the label or one of its words starts with `typed`.
fn matches(label: &str, typed: &str) -> bool {
    label.starts_with(typed)
        || label
            .split(|c: char| !c.is_alphanumeric())
            .any(|w| w.starts_with(typed))
}

/// Lower case without accents, so "e" finds "Égypte" and "Eritrea" alike.
fn fold(s: &str) -> String {
    s.nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn services() -> Vec<String> {
        [
            "Ricongiungimento familiare",
            "Orientamento lingua italiana",
            "Consulenza legale e amministrativa",
            "Supporto sociale",
            "Supporto psicologico",
            "Lavoro e formazione",
            "Casa e alloggio",
            "Altro",
        ]
        .map(String::from)
        .to_vec()
    }

    #[test]
    fn letters_choose_by_the_start_of_the_label_then_of_a_word() {
        let labels = services();
        let mut typed = String::new();
        assert_eq!(type_ahead(&labels, None, &mut typed, "c"), Some(2));
        assert_eq!(type_ahead(&labels, Some(2), &mut typed, "a"), Some(6));
        assert_eq!(typed, "ca");
        let mut typed = String::new();
        assert_eq!(
            type_ahead(&labels, None, &mut typed, "p"),
            Some(4),
            "psicologico"
        );
        let mut typed = String::new();
        assert_eq!(type_ahead(&labels, None, &mut typed, "s"), Some(3));
        assert_eq!(
            type_ahead(&labels, Some(3), &mut typed, "s"),
            Some(4),
            "s again steps"
        );
        assert_eq!(
            type_ahead(&labels, Some(4), &mut typed, "s"),
            Some(3),
            "and wraps"
        );
    }

    #[test]
    fn a_letter_that_matches_nothing_after_the_others_starts_afresh() {
        let labels = services();
        let mut typed = String::from("ca");
        assert_eq!(type_ahead(&labels, Some(6), &mut typed, "r"), Some(0));
        assert_eq!(typed, "r");
        assert_eq!(type_ahead(&labels, Some(0), &mut typed, "7"), None);
    }

    #[test]
    fn accents_and_case_do_not_matter() {
        let labels = ["Égypte".to_string(), "Eritrea".to_string()].to_vec();
        let mut typed = String::new();
        assert_eq!(type_ahead(&labels, None, &mut typed, "E"), Some(0));
        assert_eq!(type_ahead(&labels, Some(0), &mut typed, "R"), Some(1));
    }
}
