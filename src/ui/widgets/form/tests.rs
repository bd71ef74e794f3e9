use super::*;
use crate::domain::vocab::Gender;
use ratatui::crossterm::event::KeyModifiers;

fn k(c: KeyCode) -> KeyEvent {
    KeyEvent::new(c, KeyModifiers::NONE)
}

fn sample() -> Form {
    Form::new("t", Lang::Zh)
        .text("name", "姓名", "", true)
        .choice(
            "gender",
            "性别",
            vec![
                ChoiceOption::none(Lang::Zh),
                ChoiceOption::coded(Gender::Male, Lang::Zh),
                ChoiceOption::coded(Gender::Female, Lang::Zh),
            ],
            0,
        )
        .date("d", "日期", None, false)
        .flag("f", "流动党员", false)
        .checks(
            "c",
            "需求",
            vec![
                ChoiceOption::new("医疗", "y"),
                ChoiceOption::new("就业", "j"),
            ],
            vec![],
        )
}

#[test]
fn keys_move_edit_cycle_and_toggle() {
    let mut f = sample();
    assert!(!f.is_changed());
    f.handle_key(&k(KeyCode::Char('张')));
    assert_eq!(f.text_of("name"), "张");
    assert!(f.is_changed());
    assert_eq!(f.handle_key(&k(KeyCode::Enter)), FormEvent::Changed(1));
    assert_eq!(f.focused_key(), "gender");
    f.handle_key(&k(KeyCode::Char('f')));
    assert_eq!(f.choice_of("gender"), 2);
    f.handle_key(&k(KeyCode::Char('n'))); // nán: 男
    assert_eq!(f.choice_of("gender"), 1);
    f.handle_key(&k(KeyCode::Left));
    assert_eq!(f.choice_of("gender"), 0);
    f.handle_key(&k(KeyCode::Tab));
    for c in "2024/1/5x".chars() {
        f.handle_key(&k(KeyCode::Char(c)));
    }
    f.check_builtin();
    assert!(f.error_of("d").is_some());
    f.handle_key(&k(KeyCode::Backspace));
    f.check_builtin();
    assert_eq!(f.date_of("d"), Ok(NaiveDate::from_ymd_opt(2024, 1, 5)));
    f.handle_key(&k(KeyCode::Down));
    f.handle_key(&k(KeyCode::Char(' ')));
    assert!(f.flag_of("f"));
    f.handle_key(&k(KeyCode::Down));
    f.handle_key(&k(KeyCode::Right));
    f.handle_key(&k(KeyCode::Char(' ')));
    assert_eq!(f.checks_of("c"), vec![false, true]);
    f.handle_key(&KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT));
    assert_eq!(f.focused_key(), "f");
    assert_eq!(
        f.handle_key(&KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL)),
        FormEvent::Save
    );
    assert_eq!(f.handle_key(&k(KeyCode::F(9))), FormEvent::Save);
    assert_eq!(f.handle_key(&k(KeyCode::Esc)), FormEvent::Cancel);
}

#[test]
fn required_shows_after_touch_or_submit_and_focus_jumps() {
    let mut f = sample();
    f.set_focus("d");
    f.check_builtin();
    assert!(!f.has_errors());
    f.begin_submit();
    f.check_builtin();
    assert!(!f.accept());
    assert_eq!(f.focused_key(), "name");
    // The first bad field's own message, not only "there are errors".
    assert_eq!(f.message.as_deref(), Some("不能保存：姓名：必填"));
    f.add_error("d", "不是日期");
    assert!(!f.accept());
    assert_eq!(
        f.message.as_deref(),
        Some("不能保存：姓名：必填（另有 1 处错误）")
    );
    // Moving on: the foot shows the focused field's own error instead.
    f.handle_key(&k(KeyCode::Tab));
    assert_eq!(f.message, None);
}

#[test]
fn a_choice_takes_the_first_letters_of_a_label_typed_one_after_another() {
    use crate::domain::vocab::{Coded, ExpenseCategory};
    let options: Vec<ChoiceOption> = ExpenseCategory::ALL
        .iter()
        .map(|&c| ChoiceOption::coded(c, Lang::Zh))
        .collect();
    let label = |f: &Form| options[f.choice_of("c")].label.clone();
    let typed = |f: &mut Form, s: &str| {
        for c in s.chars() {
            f.handle_key(&k(KeyCode::Char(c)));
        }
    };
    let mut f = Form::new("t", Lang::Zh).choice("c", "类别", options.clone(), 0);
    typed(&mut f, "tj");
    assert_eq!(label(&f), "体检");
    // pinyin initials, full pinyin, English, and again and again one letter
    let mut f = Form::new("t", Lang::Zh).choice("c", "类别", options.clone(), 0);
    typed(&mut f, "shbt");
    assert_eq!(label(&f), "生活补贴");
    let mut f = Form::new("t", Lang::Zh).choice("c", "类别", options.clone(), 0);
    typed(&mut f, "peixun");
    assert_eq!(label(&f), "培训");
    let mut f = Form::new("t", Lang::Zh).choice("c", "类别", options.clone(), 0);
    typed(&mut f, "tr");
    assert_eq!(label(&f), "培训");
    let mut f = Form::new("t", Lang::Zh).choice("c", "类别", options.clone(), 0);
    typed(&mut f, "w");
    assert_eq!(label(&f), "慰问金");
    typed(&mut f, "w");
    assert_eq!(label(&f), "慰问金");
    typed(&mut f, "p");
    assert_eq!(label(&f), "慰问品");
    // nothing begins `wwpw`: the `w` starts again, on the next option it picks
    typed(&mut f, "w");
    assert_eq!(label(&f), "无息借款");
    // the letters start again after another key
    f.handle_key(&k(KeyCode::Left));
    typed(&mut f, "tj");
    assert_eq!(label(&f), "体检");
    // a letter that picks nothing changes nothing
    typed(&mut f, "z");
    assert_eq!(label(&f), "体检");
}
