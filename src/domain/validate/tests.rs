use super::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const TODAY: fn() -> NaiveDate = || d(2026, 3, 1);

#[test]
fn well_known_id_is_valid() {
    assert_eq!(
        id_number("11010519491231002X", TODAY()),
        Ok("11010519491231002X".into())
    );
    assert_eq!(
        id_number(" 11010519491231002x ", TODAY()),
        Ok("11010519491231002X".into())
    );
    assert_eq!(
        id_number("１１０１０５１９４９１２３１００２Ｘ", TODAY()),
        Ok("11010519491231002X".into())
    );
    assert_eq!(id_birth_date("11010519491231002X"), Some(d(1949, 12, 31)));
}

#[test]
fn generated_ids_are_valid() {
    for (i, b) in [
        d(1950, 1, 1),
        d(1988, 2, 29),
        d(2000, 12, 31),
        d(1965, 7, 9),
    ]
    .into_iter()
    .enumerate()
    {
        for seq in 0..40 {
            let id = make_id_number("320102", b, seq * 7 + i as u32);
            assert_eq!(id.len(), 18);
            assert_eq!(id_number(&id, TODAY()), Ok(id.clone()));
            assert_eq!(id_matches_birth(&id, b), Ok(()));
        }
    }
}

#[test]
fn bad_ids_are_told_apart() {
    assert_eq!(
        id_number("1101051949123100", TODAY()),
        Err(Problem::IdLength { len: 16 })
    );
    assert_eq!(
        id_number("110105491231002", TODAY()),
        Err(Problem::IdLength { len: 15 })
    );
    assert_eq!(
        id_number("11010519491231X02X", TODAY()),
        Err(Problem::IdBadChar { pos: 15, ch: 'X' })
    );
    assert_eq!(
        id_number("110105194912310021", TODAY()),
        Err(Problem::IdCheckDigit {
            expected: 'X',
            found: '1'
        })
    );
    // Real check digit but an impossible date.
    let bad_date = {
        let mut s = String::from("11010519490230002");
        s.push(id_check_char(s.as_bytes()));
        s
    };
    assert_eq!(id_number(&bad_date, TODAY()), Err(Problem::IdBirthDate));
    let future = make_id_number("110105", d(2030, 1, 1), 1);
    assert_eq!(
        id_number(&future, TODAY()),
        Err(Problem::IdBirthInFuture {
            date: d(2030, 1, 1)
        })
    );
    assert_eq!(
        id_matches_birth("11010519491231002X", d(1949, 12, 30)),
        Err(Problem::IdBirthMismatch {
            id_birth: d(1949, 12, 31),
            birth: d(1949, 12, 30)
        })
    );
    assert_eq!(id_birth_date("1101051949123"), None);
}

#[test]
fn messages_exist_in_both_languages() {
    let p = Problem::IdCheckDigit {
        expected: 'X',
        found: '1',
    };
    assert!(p.zh().contains("校验位"));
    assert!(p.en().contains("check digit"));
    assert_eq!(p.message(Lang::En), p.en());
    assert_eq!(p.message(Lang::Zh), p.zh());
}

#[test]
fn mobiles_normalise_to_digits() {
    assert_eq!(phone("13812345678"), Ok("13812345678".into()));
    assert_eq!(phone(" 138 1234 5678 "), Ok("13812345678".into()));
    assert_eq!(phone("138-1234-5678"), Ok("13812345678".into()));
    assert_eq!(phone("+86 138 1234 5678"), Ok("13812345678".into()));
    assert_eq!(phone("１３８１２３４５６７８"), Ok("13812345678".into()));
    assert_eq!(phone(""), Ok(String::new()));
    assert_eq!(phone("   "), Ok(String::new()));
    assert_eq!(phone("1381234567"), Err(Problem::PhoneMobile));
    assert_eq!(phone("138123456789"), Err(Problem::PhoneMobile));
    assert_eq!(phone("12812345678"), Err(Problem::PhoneMobile));
    assert_eq!(phone("138a2345678"), Err(Problem::PhoneBadChar { ch: 'a' }));
}

#[test]
fn landlines_normalise_to_area_number() {
    assert_eq!(phone("010-12345678"), Ok("010-12345678".into()));
    assert_eq!(phone("0755 1234567"), Ok("0755-1234567".into()));
    assert_eq!(phone("(010)12345678"), Ok("010-12345678".into()));
    assert_eq!(phone("（010）12345678"), Ok("010-12345678".into()));
    assert_eq!(phone("01012345678"), Ok("010-12345678".into()));
    assert_eq!(phone("02112345678"), Ok("021-12345678".into()));
    assert_eq!(phone("075512345678"), Ok("0755-12345678".into()));
    assert_eq!(phone("010-12345678-123"), Ok("010-12345678-123".into()));
    assert_eq!(phone("010-12345678转123"), Ok("010-12345678-123".into()));
    assert_eq!(phone("+86 10 12345678"), Ok("010-12345678".into()));
    assert_eq!(phone("12345678"), Err(Problem::PhoneMobile));
    assert_eq!(phone("87654321"), Err(Problem::PhoneNoAreaCode));
    assert_eq!(phone("010-123456"), Err(Problem::PhoneLandline));
    assert_eq!(phone("010-123456789"), Err(Problem::PhoneLandline));
    assert_eq!(phone("0755-0123456"), Err(Problem::PhoneLandline));
    assert_eq!(phone("07551-1234567"), Err(Problem::PhoneLandline));
    assert_eq!(phone("010-12345678-1-2"), Err(Problem::PhoneLandline));
}

#[test]
fn dates_not_in_future_and_joined_at_18() {
    assert_eq!(not_future(d(2026, 3, 1), TODAY()), Ok(()));
    assert_eq!(
        not_future(d(2026, 3, 2), TODAY()),
        Err(Problem::FutureDate {
            date: d(2026, 3, 2)
        })
    );
    let b = d(1988, 2, 29);
    assert_eq!(
        joined_after_18(b, d(2006, 2, 28)),
        Err(Problem::JoinedBefore18 {
            eighteenth: d(2006, 3, 1)
        })
    );
    assert_eq!(joined_after_18(b, d(2006, 3, 1)), Ok(()));
    assert_eq!(joined_after_18(d(1960, 5, 4), d(1978, 5, 4)), Ok(()));
}

#[test]
fn masks() {
    assert_eq!(mask_id("110105194912311234"), "1101**********1234");
    assert_eq!(mask_id("123"), "***");
    assert_eq!(mask_phone("13812345678"), "138****5678");
    assert_eq!(mask_phone("010-12345678"), "010-****5678");
    assert_eq!(mask_phone("0755-1234567"), "0755-***4567");
    assert_eq!(mask_phone("010-12345678-123"), "010-****5678-123");
    assert_eq!(mask_phone("(010) 1234 5678"), "(***) **** 5678");
}
