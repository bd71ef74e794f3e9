//! Writes a ratatui [`Buffer`] as an SVG picture of a terminal, every glyph on
//! an exact cell grid.
//!
//! A wide character is centred over its two cells (and the second cell is
//! skipped); box-drawing characters and block elements are drawn as shapes,
//! since CJK monospace fonts draw them two cells wide; other narrow non-ASCII
//! symbols (`·`, `…`, arrows) take a Latin face first for the same reason.
//! Each glyph is its own `<text>` centred on its cells, so no font metric can
//! push a column.

use std::fmt::Write;

use ratatui::buffer::Buffer;
use ratatui::layout::Position;
use ratatui::style::{Color, Modifier};
use unicode_width::UnicodeWidthStr;

/// Cell width and height in SVG units.
pub const CW: u32 = 10;
pub const CH: u32 = 20;
const FONT_SIZE: u32 = 18;
/// Baseline below the top of a cell: the CJK em box (ascent 0.88 em,
/// descent 0.12 em) centred in the cell.
const BASELINE: f32 = 16.8;
/// Top of the underline below the top of a cell.
const UNDERLINE: u32 = CH - 1;
const FONT: &str = "'Noto Sans Mono CJK SC', 'Noto Sans CJK SC', monospace";
/// Narrow non-ASCII symbols (· … ← ✓) take a Latin face first: CJK faces draw them wide.
const FONT_NARROW: &str = "'DejaVu Sans Mono', 'Noto Sans Mono CJK SC', monospace";

const DEFAULT_FG: &str = "#d0d0d0";
const DEFAULT_BG: &str = "#1c1c1c";

/// The 16 named colours (a Tango-like palette, readable on the dark background).
fn named(c: Color) -> Option<&'static str> {
    Some(match c {
        Color::Black => "#000000",
        Color::Red => "#cc3e3e",
        Color::Green => "#4e9a06",
        Color::Yellow => "#c4a000",
        Color::Blue => "#3465a4",
        Color::Magenta => "#a05aa0",
        Color::Cyan => "#06989a",
        Color::Gray => "#b8b8b0",
        Color::DarkGray => "#6a6a66",
        Color::LightRed => "#ef5959",
        Color::LightGreen => "#8ae234",
        Color::LightYellow => "#fce94f",
        Color::LightBlue => "#729fcf",
        Color::LightMagenta => "#c88ac0",
        Color::LightCyan => "#34e2e2",
        Color::White => "#eeeeec",
        _ => return None,
    })
}

fn colour(c: Color, default: &str) -> String {
    match c {
        Color::Reset => default.to_string(),
        Color::Rgb(r, g, b) => format!("#{r:02x}{g:02x}{b:02x}"),
        Color::Indexed(i) => indexed(i),
        other => named(other).unwrap_or(default).to_string(),
    }
}

/// xterm's 256-colour cube and grey ramp (the first 16 as the named ones).
fn indexed(i: u8) -> String {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match i {
        0..=15 => named(NAMED[i as usize]).unwrap().to_string(),
        16..=231 => {
            let i = i - 16;
            let level = |v: u8| if v == 0 { 0 } else { 55 + 40 * v };
            format!(
                "#{:02x}{:02x}{:02x}",
                level(i / 36),
                level(i / 6 % 6),
                level(i % 6)
            )
        }
        _ => {
            let v = 8 + 10 * (i - 232);
            format!("#{v:02x}{v:02x}{v:02x}")
        }
    }
}

/// Foreground and background of a cell after `REVERSED`.
fn cell_colours(fg: Color, bg: Color, m: Modifier) -> (String, String) {
    let (fg, bg) = (colour(fg, DEFAULT_FG), colour(bg, DEFAULT_BG));
    if m.contains(Modifier::REVERSED) {
        (bg, fg)
    } else {
        (fg, bg)
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
    out
}

/// The text of `buf`, one line per row, a wide character once.
pub fn text(buf: &Buffer) -> String {
    let mut out = String::new();
    for y in buf.area.top()..buf.area.bottom() {
        let mut skip = 0;
        for x in buf.area.left()..buf.area.right() {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = buf[(x, y)].symbol();
            skip = sym.width().saturating_sub(1);
            out.push_str(sym);
        }
        out.push('\n');
    }
    out
}

/// The picture of `buf`; with `cursor`, a bar under that cell as a terminal shows it.
pub fn render(buf: &Buffer, cursor: Option<Position>) -> String {
    let area = buf.area;
    let (w, h) = (area.width as u32 * CW, area.height as u32 * CH);
    let mut s = String::new();
    let _ = writeln!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">"#
    );
    let _ = writeln!(
        s,
        r#"<rect x="0" y="0" width="{w}" height="{h}" fill="{DEFAULT_BG}"/>"#
    );
    // Backgrounds first, merged into runs of one colour per row.
    let mut glyphs = String::new();
    let mut shapes = String::new();
    let mut underlines = String::new();
    for y in 0..area.height {
        let mut run: Option<(u16, u16, String)> = None;
        let mut skip = 0u16;
        // The cell a wide character starts in: a terminal paints both of its
        // cells in its colours (ratatui resets the second one).
        let mut lead = &buf[(area.x, area.y + y)];
        for x in 0..area.width {
            let own = &buf[(area.x + x, area.y + y)];
            if skip == 0 {
                lead = own;
            }
            let cell = lead;
            let (fg, bg) = cell_colours(cell.fg, cell.bg, cell.modifier);
            match &mut run {
                Some((_, end, c)) if *c == bg => *end = x + 1,
                _ => {
                    if let Some((x0, x1, c)) = run.take() {
                        push_bg(&mut s, x0, x1, y, &c);
                    }
                    run = Some((x, x + 1, bg.clone()));
                }
            }
            // Underlines span whole cells, blanks included, as in a terminal.
            if cell.modifier.contains(Modifier::UNDERLINED) {
                let _ = writeln!(
                    underlines,
                    r#"<rect x="{}" y="{}" width="{CW}" height="1" fill="{fg}"/>"#,
                    x as u32 * CW,
                    y as u32 * CH + UNDERLINE
                );
            }
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let sym = cell.symbol();
            let width = sym.width().max(1) as u16;
            skip = width - 1;
            if sym.trim().is_empty() {
                continue;
            }
            let mut chars = sym.chars();
            let first = chars.next().unwrap();
            if chars.next().is_none() && shape(&mut shapes, first, x, y, &fg) {
                continue;
            }
            push_glyph(&mut glyphs, sym, width, x, y, &fg, cell.modifier);
        }
        if let Some((x0, x1, c)) = run.take() {
            push_bg(&mut s, x0, x1, y, &c);
        }
    }
    s.push_str(&shapes);
    s.push_str(&underlines);
    let _ = writeln!(
        s,
        r#"<g font-family="{FONT}" font-size="{FONT_SIZE}" text-anchor="middle" xml:space="preserve">"#
    );
    s.push_str(&glyphs);
    s.push_str("</g>\n");
    if let Some(p) = cursor
        && area.contains(p)
    {
        let (cx, cy) = ((p.x - area.x) as u32 * CW, (p.y - area.y) as u32 * CH);
        let _ = writeln!(
            s,
            r#"<rect x="{cx}" y="{}" width="{CW}" height="2" fill="{DEFAULT_FG}"/>"#,
            cy + CH - 3
        );
    }
    s.push_str("</svg>\n");
    s
}

fn push_bg(s: &mut String, x0: u16, x1: u16, y: u16, c: &str) {
    if c == DEFAULT_BG {
        return;
    }
    let _ = writeln!(
        s,
        r#"<rect x="{}" y="{}" width="{}" height="{CH}" fill="{c}"/>"#,
        x0 as u32 * CW,
        y as u32 * CH,
        (x1 - x0) as u32 * CW
    );
}

fn push_glyph(s: &mut String, sym: &str, width: u16, x: u16, y: u16, fg: &str, m: Modifier) {
    let cx = x as f32 * CW as f32 + width as f32 * CW as f32 / 2.0;
    let by = y as f32 * CH as f32 + BASELINE;
    let _ = write!(s, r#"<text x="{cx}" y="{by}" fill="{fg}""#);
    if width == 1 && !sym.is_ascii() {
        let _ = write!(s, r#" font-family="{FONT_NARROW}""#);
    }
    if m.contains(Modifier::BOLD) {
        s.push_str(r#" font-weight="bold""#);
    }
    if m.contains(Modifier::ITALIC) {
        s.push_str(r#" font-style="italic""#);
    }
    if m.contains(Modifier::DIM) {
        s.push_str(r#" fill-opacity="0.6""#);
    }
    if m.contains(Modifier::CROSSED_OUT) {
        s.push_str(r#" text-decoration="line-through""#);
    }
    let _ = writeln!(s, ">{}</text>", escape(sym));
}

// ---- shapes for box drawing and block elements ---------------------

/// Line weights of a box-drawing character towards up, right, down, left:
/// `.` none, `l` light, `h` heavy, `d` double.
#[rustfmt::skip]
const BOX: [&str; 0x80] = [
    // 2500
    ".l.l", ".h.h", "l.l.", "h.h.", "", "", "", "", "", "", "", "", ".ll.", ".hl.", ".lh.", ".hh.",
    // 2510
    "..ll", "..lh", "..hl", "..hh", "ll..", "lh..", "hl..", "hh..", "l..l", "l..h", "h..l", "h..h", "lll.", "lhl.", "hll.", "llh.",
    // 2520
    "hlh.", "hhl.", "lhh.", "hhh.", "l.ll", "l.lh", "h.ll", "l.hl", "h.hl", "h.lh", "l.hh", "h.hh", ".lll", ".llh", ".hll", ".hlh",
    // 2530
    ".lhl", ".lhh", ".hhl", ".hhh", "ll.l", "ll.h", "lh.l", "lh.h", "hl.l", "hl.h", "hh.l", "hh.h", "llll", "lllh", "lhll", "lhlh",
    // 2540
    "hlll", "llhl", "hlhl", "hllh", "hhll", "llhh", "lhhl", "hhlh", "lhhh", "hlhh", "hhhl", "hhhh", "", "", "", "",
    // 2550
    ".d.d", "d.d.", ".dl.", ".ld.", ".dd.", "..ld", "..dl", "..dd", "ld..", "dl..", "dd..", "l..d", "d..l", "d..d", "ldl.", "dld.",
    // 2560
    "ddd.", "l.ld", "d.dl", "d.dd", ".dld", ".ldl", ".ddd", "ld.d", "dl.l", "dd.d", "ldld", "dldl", "dddd", ".ll.", "..ll", "l..l",
    // 2570
    "ll..", "", "", "", "...l", "l...", ".l..", "..l.", "...h", "h...", ".h..", "..h.", ".h.l", "l.h.", ".l.h", "h.l.",
];

const LIGHT: f32 = 1.0;
/// Where a cell's lines run, from its top left corner.
const LINE_X: f32 = CW as f32 / 2.0 - 0.5;
const LINE_Y: f32 = CH as f32 / 2.0 - 0.5;
const HEAVY: f32 = 2.0;
/// Distance of each line of a double line from the centre line.
const GAP: f32 = 2.0;

/// Draws `c` as shapes if it is a box-drawing or block character.
fn shape(s: &mut String, c: char, x: u16, y: u16, fg: &str) -> bool {
    let (x0, y0) = (x as f32 * CW as f32, y as f32 * CH as f32);
    let (x1, y1) = (x0 + CW as f32, y0 + CH as f32);
    // Lines run half a unit left of and above the middle, so a light line
    // covers whole pixels at zoom 1 and 2 (adjacent cells then join without seams).
    let (cx, cy) = (x0 + LINE_X, y0 + LINE_Y);
    // The true middle, for half blocks and quadrants.
    let (mx, my) = (x0 + CW as f32 / 2.0, y0 + CH as f32 / 2.0);
    let mut rect = |s: &mut String, ax: f32, ay: f32, bx: f32, by: f32, opacity: f32| {
        let _ = write!(
            s,
            r#"<rect x="{ax}" y="{ay}" width="{}" height="{}" fill="{fg}""#,
            bx - ax,
            by - ay
        );
        if opacity < 1.0 {
            let _ = write!(s, r#" fill-opacity="{opacity}""#);
        }
        s.push_str("/>\n");
    };
    let code = c as u32;
    match code {
        0x2500..=0x257F => {
            let spec = BOX[(code - 0x2500) as usize];
            if spec.len() == 4 {
                let w: Vec<u8> = spec.bytes().collect();
                let rounded = (0x256D..=0x2570).contains(&code);
                if rounded {
                    let (hx, vy) = match code {
                        0x256D => (x1, y1), // ╭ right and down
                        0x256E => (x0, y1), // ╮ left and down
                        0x256F => (x0, y0), // ╯ left and up
                        _ => (x1, y0),      // ╰ right and up
                    };
                    let r = 4.0;
                    let sx = if hx > cx { cx + r } else { cx - r };
                    let sy = if vy > cy { cy + r } else { cy - r };
                    let _ = writeln!(
                        s,
                        r#"<path d="M{hx} {cy}H{sx}Q{cx} {cy} {cx} {sy}V{vy}" fill="none" stroke="{fg}" stroke-width="{LIGHT}"/>"#
                    );
                } else {
                    box_lines(s, &w, (x0, y0, x1, y1), &mut rect);
                }
                return true;
            }
            match code {
                // dashed lines: ┄┅┆┇ (3 dashes), ┈┉┊┋ (4), ╌╍╎╏ (2)
                0x2504..=0x250B | 0x254C..=0x254F => {
                    let (n, heavy, vertical) = match code {
                        0x2504..=0x2507 => (3, code % 2 == 1, code >= 0x2506),
                        0x2508..=0x250B => (4, code % 2 == 1, code >= 0x250A),
                        _ => (2, code % 2 == 1, code >= 0x254E),
                    };
                    let t = if heavy { HEAVY } else { LIGHT };
                    for i in 0..n {
                        let f = i as f32 / n as f32;
                        let g = (i as f32 + 0.6) / n as f32;
                        if vertical {
                            let (a, b) = (y0 + f * CH as f32, y0 + g * CH as f32);
                            rect(s, cx - t / 2.0, a, cx + t / 2.0, b, 1.0);
                        } else {
                            let (a, b) = (x0 + f * CW as f32, x0 + g * CW as f32);
                            rect(s, a, cy - t / 2.0, b, cy + t / 2.0, 1.0);
                        }
                    }
                }
                // ╱ ╲ ╳
                _ => {
                    let mut d = String::new();
                    if code != 0x2572 {
                        let _ = write!(d, "M{x0} {y1}L{x1} {y0}");
                    }
                    if code != 0x2571 {
                        let _ = write!(d, "M{x0} {y0}L{x1} {y1}");
                    }
                    let _ = writeln!(
                        s,
                        r#"<path d="{d}" fill="none" stroke="{fg}" stroke-width="{LIGHT}"/>"#
                    );
                }
            }
            true
        }
        0x2580..=0x259F => {
            let (fw, fh) = (CW as f32, CH as f32);
            let eighth_h = |n: f32| fh * n / 8.0;
            let eighth_w = |n: f32| fw * n / 8.0;
            match code {
                0x2580 => rect(s, x0, y0, x1, my, 1.0),
                0x2581..=0x2588 => {
                    let n = (code - 0x2580) as f32;
                    rect(s, x0, y1 - eighth_h(n), x1, y1, 1.0)
                }
                0x2589..=0x258F => {
                    let n = (0x2590 - code) as f32;
                    rect(s, x0, y0, x0 + eighth_w(n), y1, 1.0)
                }
                0x2590 => rect(s, mx, y0, x1, y1, 1.0),
                0x2591..=0x2593 => rect(s, x0, y0, x1, y1, (code - 0x2590) as f32 * 0.25),
                0x2594 => rect(s, x0, y0, x1, y0 + eighth_h(1.0), 1.0),
                0x2595 => rect(s, x1 - eighth_w(1.0), y0, x1, y1, 1.0),
                _ => {
                    // quadrants: upper left, upper right, lower left, lower right
                    let q: [bool; 4] = match code {
                        0x2596 => [false, false, true, false],
                        0x2597 => [false, false, false, true],
                        0x2598 => [true, false, false, false],
                        0x2599 => [true, false, true, true],
                        0x259A => [true, false, false, true],
                        0x259B => [true, true, true, false],
                        0x259C => [true, true, false, true],
                        0x259D => [false, true, false, false],
                        0x259E => [false, true, true, false],
                        _ => [false, true, true, true],
                    };
                    let boxes = [
                        (x0, y0, mx, my),
                        (mx, y0, x1, my),
                        (x0, my, mx, y1),
                        (mx, my, x1, y1),
                    ];
                    for (on, (a, b, c2, d)) in q.iter().zip(boxes) {
                        if *on {
                            rect(s, a, b, c2, d, 1.0);
                        }
                    }
                }
            }
            true
        }
        _ => false,
    }
}

/// The four arms of a box-drawing character, each from the cell's centre to
/// its edge; double arms as two lines that meet the crossing arms cleanly.
fn box_lines(
    s: &mut String,
    w: &[u8],
    (x0, y0, x1, y1): (f32, f32, f32, f32),
    rect: &mut impl FnMut(&mut String, f32, f32, f32, f32, f32),
) {
    let (cx, cy) = (x0 + LINE_X, y0 + LINE_Y);
    let has = |i: usize| w[i] != b'.';
    // Half the width of the widest arm crossing the other axis, so a light
    // arm reaches across a heavy or double one.
    let reach = |a: usize, b: usize| {
        [a, b]
            .iter()
            .map(|&i| match w[i] {
                b'l' => LIGHT / 2.0,
                b'h' => HEAVY / 2.0,
                b'd' => GAP + LIGHT / 2.0,
                _ => 0.0,
            })
            .fold(0.0f32, f32::max)
    };
    // arms: 0 up, 1 right, 2 down, 3 left
    for (arm, &weight) in w.iter().enumerate() {
        let vertical = arm % 2 == 0;
        let (cross_a, cross_b) = if vertical { (3, 1) } else { (0, 2) };
        let opposite = (arm + 2) % 4;
        let toward_edge = |from: f32| -> (f32, f32) {
            match arm {
                0 => (y0, from),
                1 => (from, x1),
                2 => (from, y1),
                _ => (x0, from),
            }
        };
        match weight {
            b'l' | b'h' => {
                let t = if weight == b'l' { LIGHT } else { HEAVY };
                // start past the centre by the crossing arms' half width
                let r = reach(cross_a, cross_b).max(t / 2.0);
                let from = match arm {
                    0 => cy + r,
                    1 => cx - r,
                    2 => cy - r,
                    _ => cx + r,
                };
                let (a, b) = toward_edge(from);
                if vertical {
                    rect(s, cx - t / 2.0, a.min(b), cx + t / 2.0, a.max(b), 1.0);
                } else {
                    rect(s, a.min(b), cy - t / 2.0, a.max(b), cy + t / 2.0, 1.0);
                }
            }
            b'd' => {
                // the two lines: on the side of cross_a (-) and of cross_b (+)
                for (side, sign) in [(cross_a, -1.0f32), (cross_b, 1.0f32)] {
                    let other = if side == cross_a { cross_b } else { cross_a };
                    // how far from the centre line (towards the arm) this line starts
                    let start = if has(side) {
                        GAP // stop at the crossing arm's near line
                    } else if has(other) && !has(opposite) {
                        -GAP // outer corner
                    } else {
                        0.0 // straight through, or a stub
                    };
                    let off = sign * GAP;
                    let t = LIGHT / 2.0;
                    // direction along the arm: +1 towards right/down, -1 towards up/left
                    let dir = if arm == 1 || arm == 2 { 1.0 } else { -1.0 };
                    if vertical {
                        let from = cy + dir * start - dir * t;
                        let (a, b) = toward_edge(from);
                        rect(s, cx + off - t, a.min(b), cx + off + t, a.max(b), 1.0);
                    } else {
                        let from = cx + dir * start - dir * t;
                        let (a, b) = toward_edge(from);
                        rect(s, a.min(b), cy + off - t, a.max(b), cy + off + t, 1.0);
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::layout::{Position, Rect};
    use ratatui::style::{Color, Modifier, Style};
    use ratatui::widgets::{Block, Paragraph};

    use super::render;

    fn draw(f: impl FnOnce(&mut ratatui::Frame)) -> ratatui::buffer::Buffer {
        let mut t = Terminal::new(TestBackend::new(20, 4)).unwrap();
        t.draw(f).unwrap();
        t.backend().buffer().clone()
    }

    #[test]
    fn wide_glyphs_sit_centred_on_two_cells_and_the_next_glyph_keeps_its_column() {
        let buf = draw(|f| f.render_widget(Paragraph::new("党员a·"), Rect::new(0, 0, 20, 1)));
        let s = render(&buf, None);
        // 党 over cells 0-1 (centre 10), 员 over 2-3 (centre 30), a in cell 4, · in cell 5
        assert!(s.contains(r##"<text x="10" y="16.8""##), "{s}");
        assert!(s.contains(r##"<text x="30" y="16.8""##), "{s}");
        assert!(
            s.contains(r##"<text x="45" y="16.8" fill="#d0d0d0">a</text>"##),
            "{s}"
        );
        assert!(
            s.contains(r##"<text x="55" y="16.8" fill="#d0d0d0" font-family="'DejaVu Sans Mono'"##),
            "{s}"
        );
        assert_eq!(s.matches("<text").count(), 4);
    }

    #[test]
    fn borders_are_shapes_not_glyphs() {
        let buf = draw(|f| f.render_widget(Block::bordered(), Rect::new(0, 0, 20, 4)));
        let s = render(&buf, None);
        assert_eq!(s.matches("<text").count(), 0);
        // ┌ is two arms, ─ two, │ two: every border cell is drawn
        assert!(s.matches("<rect").count() >= 2 * (2 * 20 + 2 * 2), "{s}");
    }

    #[test]
    fn reversed_and_coloured_cells_paint_their_background_across_wide_glyphs() {
        let buf = draw(|f| {
            f.render_widget(
                Paragraph::new("选中").style(Style::new().add_modifier(Modifier::REVERSED)),
                Rect::new(0, 0, 6, 1),
            );
            f.render_widget(
                Paragraph::new("蓝").style(Style::new().bg(Color::Blue).fg(Color::White)),
                Rect::new(0, 1, 2, 1),
            )
        });
        let s = render(&buf, Some(Position::new(3, 2)));
        // reversed: default fg as the background of the whole 6-cell run
        assert!(
            s.contains(r##"<rect x="0" y="0" width="60" height="20" fill="#d0d0d0"/>"##),
            "{s}"
        );
        assert!(
            s.contains(r##"<text x="10" y="16.8" fill="#1c1c1c">选</text>"##),
            "{s}"
        );
        assert!(
            s.contains(r##"<rect x="0" y="20" width="20" height="20" fill="#3465a4"/>"##),
            "{s}"
        );
        // the cursor bar under cell (3, 2)
        assert!(
            s.contains(r##"<rect x="30" y="57" width="10" height="2""##),
            "{s}"
        );
    }

    #[test]
    fn the_same_buffer_gives_the_same_bytes() {
        let buf = draw(|f| {
            f.render_widget(
                Paragraph::new("张三 ✓").block(Block::bordered()),
                Rect::new(0, 0, 20, 4),
            )
        });
        assert_eq!(render(&buf, None), render(&buf, None));
    }
}
