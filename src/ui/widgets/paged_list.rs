//! The one list of every screen: a bordered panel with a title, a header
//! line, the rows of one page with the selected one highlighted (or a dimmed
//! message when there are none) and the page count on the bottom border.
//! [`Paging`] keeps the cursor, the page size and the total, and turns the
//! line and page keys into the row to go to.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

use crate::domain::Lang;
use crate::ui::text;
use crate::ui::theme::Theme;

/// How many rows the list has, as far as it is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    /// Counted: `n` rows.
    Known(usize),
    /// Read a page at a time by key (no count): page `page` (1-based),
    /// `more` when another follows.
    Open { page: usize, more: bool },
}

/// A line or page move, the same keys on every list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
}

/// The cursor of a list shown a page at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paging {
    /// The selected row, counted from the first row of the list.
    pub cursor: usize,
    pub page_size: usize,
    pub total: Total,
}

impl Paging {
    pub fn new(cursor: usize, page_size: usize, total: Total) -> Self {
        Paging {
            cursor,
            page_size: page_size.max(1),
            total,
        }
    }

    /// The row a move goes to, kept inside a counted list.
    pub fn moved(&self, m: Move) -> usize {
        let page = self.page_size;
        let to = match m {
            Move::Up => self.cursor.saturating_sub(1),
            Move::Down => self.cursor + 1,
            Move::PageUp => self.cursor.saturating_sub(page),
            Move::PageDown => self.cursor + page,
            Move::Home => 0,
            Move::End => usize::MAX,
        };
        match self.total {
            Total::Known(n) => to.min(n.saturating_sub(1)),
            Total::Open { .. } => to,
        }
    }

    /// The first row of the page that holds the cursor.
    pub fn page_start(&self) -> usize {
        self.cursor / self.page_size * self.page_size
    }

    /// ` 第 2/7 页 `, ` 共 115 人 · 第 2/7 页 ` with a `noun` (`人`,
    /// `members`), ` 第 3 页 … ` for a list read by key.
    pub fn footer(&self, lang: Lang, noun: Option<(&str, &str)>) -> String {
        match self.total {
            Total::Known(n) => {
                let pages = n.div_ceil(self.page_size).max(1);
                let page = self.cursor / self.page_size + 1;
                match (lang, noun) {
                    (Lang::Zh, None) => format!(" 第 {page}/{pages} 页 "),
                    (Lang::En, None) => format!(" page {page}/{pages} "),
                    (Lang::Zh, Some((zh, _))) => format!(" 共 {n} {zh} · 第 {page}/{pages} 页 "),
                    (Lang::En, Some((_, en))) => format!(" {n} {en} · page {page}/{pages} "),
                }
            }
            Total::Open { page, more } => {
                let more = if more { " …" } else { "" };
                match lang {
                    Lang::Zh => format!(" 第 {page} 页{more} "),
                    Lang::En => format!(" page {page}{more} "),
                }
            }
        }
    }
}

/// What one list shows now.
pub struct ListView<'a> {
    pub title: Line<'a>,
    /// The column heads, already laid out to the inner width.
    pub header: String,
    /// The rows of the page, already laid out and styled.
    pub rows: Vec<Line<'a>>,
    /// Shown under the header when there are no rows, wrapped to the width
    /// (`\n` starts a line).
    pub empty: String,
    /// On the bottom border, right-aligned ([`Paging::footer`]).
    pub footer: String,
}

/// The inner width of a list drawn in `area` (what its rows are laid out to).
pub fn inner_width(area: Rect) -> usize {
    area.width.saturating_sub(2) as usize
}

/// Rows of one page that fit in `area` (borders and header taken off).
pub fn rows_fitting(area: Rect) -> usize {
    area.height.saturating_sub(3) as usize
}

/// Draws the list in `area`.
pub fn render(frame: &mut Frame, area: Rect, view: ListView<'_>, th: &Theme) {
    render_beside(frame, area, view, None, th);
}

/// Draws the list in `area` with `beside` after the footer on the bottom
/// border (the member detail's page names), and returns the area inside the
/// border: the lines under a page of [`rows_fitting`] less `n` rows are free
/// for `n` lines of detail.
pub fn render_beside(
    frame: &mut Frame,
    area: Rect,
    view: ListView<'_>,
    beside: Option<Line<'_>>,
    th: &Theme,
) -> Rect {
    let mut block = Block::bordered()
        .border_set(th.border())
        .title(view.title)
        .title_bottom(Line::from(view.footer).right_aligned());
    if let Some(line) = beside {
        block = block.title_bottom(line.right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut lines = vec![Line::from(Span::styled(view.header, th.header()))];
    if view.rows.is_empty() {
        let w = (inner.width as usize).saturating_sub(1);
        for l in text::wrap(&view.empty, w) {
            lines.push(Line::from(Span::styled(format!(" {l}"), th.dim())));
        }
    }
    lines.extend(view.rows);
    frame.render_widget(Paragraph::new(lines), inner);
    inner
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_stay_in_a_counted_list_and_footers_count_pages() {
        let p = Paging::new(5, 4, Total::Known(10));
        assert_eq!(p.moved(Move::Down), 6);
        assert_eq!(p.moved(Move::PageDown), 9);
        assert_eq!(p.moved(Move::PageUp), 1);
        assert_eq!(p.moved(Move::End), 9);
        assert_eq!(p.moved(Move::Home), 0);
        assert_eq!(p.page_start(), 4);
        assert_eq!(p.footer(Lang::Zh, None), " 第 2/3 页 ");
        assert_eq!(
            p.footer(Lang::Zh, Some(("人", "members"))),
            " 共 10 人 · 第 2/3 页 "
        );
        assert_eq!(
            p.footer(Lang::En, Some(("人", "members"))),
            " 10 members · page 2/3 "
        );
        let empty = Paging::new(0, 4, Total::Known(0));
        assert_eq!(empty.moved(Move::Down), 0);
        assert_eq!(empty.footer(Lang::En, None), " page 1/1 ");
        let open = Paging::new(
            2,
            4,
            Total::Open {
                page: 3,
                more: true,
            },
        );
        assert_eq!(open.footer(Lang::Zh, None), " 第 3 页 … ");
        assert_eq!(open.moved(Move::Down), 3);
    }
}
