//! Properties of the ID-card reader over generated cards (fictional people) and arbitrary
//! input: intact cards read back exactly; garbled ones keep their digits and say which text
//! to check; nothing panics.

use chrono::{Datelike, NaiveDate};
use motcua_core::idcard::{parse, CardField, IdCard, Sex};
use motcua_core::scan::{kind_of, ScanKind};
use proptest::prelude::*;

const SURNAMES: &[&str] = &[
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phùng", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
    "Hồ", "Ngô", "Dương", "Lý",
];
const MIDDLE: &[&str] = &[
    "Văn", "Thị", "Hữu", "Đức", "Ngọc", "Minh", "Thanh", "Xuân", "",
];
const GIVEN: &[&str] = &[
    "An",
    "Bình",
    "Cường",
    "Dũng",
    "Hương",
    "Lan",
    "Khôi",
    "Ngọc Ánh",
    "Quỳnh",
    "Tuấn",
    "Yến",
    "Đạt",
    "Thảo",
    "Phúc",
    "Nghĩa",
    "Khuê",
];
const STREETS: &[&str] = &[
    "ngõ 15 phố Hoàng Hoa Thám",
    "đường Lê Lợi",
    "ấp Bình Hòa",
    "thôn Phú Mỹ",
    "tổ dân phố Tân Tiến",
];
const PLACES: &[&str] = &[
    "phường Ngọc Hà, quận Ba Đình, Hà Nội",
    "xã Hướng Thọ Phú, tỉnh Tây Ninh",
    "phường Hòa Khánh Bắc, quận Liên Chiểu, thành phố Đà Nẵng",
    "xã Ea Kao, thành phố Buôn Ma Thuột, tỉnh Đắk Lắk",
];

#[derive(Debug, Clone)]
struct Person {
    card: IdCard,
}

impl Person {
    /// The QR text with `sep` between fields.
    fn qr(&self, sep: &str) -> String {
        let c = &self.card;
        let sex = match c.sex {
            Sex::Male => "Nam",
            Sex::Female => "Nữ",
        };
        [
            c.id_number.clone(),
            c.old_id.clone(),
            c.name.clone(),
            c.birth_date.format("%d%m%Y").to_string(),
            sex.to_string(),
            c.address.clone(),
            c.issued_on.unwrap().format("%d%m%Y").to_string(),
        ]
        .join(sep)
    }
}

fn pick<T: Clone + std::fmt::Debug + 'static>(items: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(items)
}

prop_compose! {
    fn person()(
        surname in pick(SURNAMES),
        middle in pick(MIDDLE),
        given in pick(GIVEN),
        female in any::<bool>(),
        province in 1u32..=96,
        birth_days in 0i64..(80 * 365),
        serial in 0u32..1_000_000,
        old_id in prop_oneof![Just(String::new()), "[0-9]{9}", "[0-9]{12}"],
        number in 1u32..300,
        street in pick(STREETS),
        place in pick(PLACES),
        issued_after in (14 * 365i64)..20_000,
    ) -> Person {
        let birth_date = NaiveDate::from_ymd_opt(1935, 1, 1).unwrap()
            + chrono::Duration::days(birth_days);
        let year = birth_date.year();
        let century_code = (year / 100 - 19) * 2 + i32::from(female);
        let id_number = format!("{province:03}{century_code}{:02}{serial:06}", year % 100);
        let name = [surname, middle, given]
            .into_iter()
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        Person {
            card: IdCard {
                id_number,
                old_id,
                name,
                birth_date,
                sex: if female { Sex::Female } else { Sex::Male },
                address: format!("Số {number}, {street}, {place}"),
                issued_on: Some(birth_date + chrono::Duration::days(issued_after)),
                suspect: vec![],
            },
        }
    }
}

fn question_marks(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii() { c } else { '?' })
        .collect()
}

/// UTF-8 bytes shown one by one as Latin-1, as some wedge set-ups type them.
fn latin1_mojibake(s: &str) -> String {
    s.bytes().map(char::from).collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn arbitrary_text_never_panics(s in any::<String>()) {
        let _ = parse(&s);
        let _ = kind_of(&s);
    }

    #[test]
    fn card_shaped_text_never_panics(
        id in "[0-9]{12}",
        rest in r"[0-9|?ÃÅÆ»¡ạễữđĐ ,./a-zA-Z\x00-\x1F\x{80}-\x{9F}]{0,120}",
    ) {
        let _ = parse(&format!("{id}{rest}"));
        let _ = parse(&format!("{id}|{rest}"));
    }

    #[test]
    fn an_intact_card_reads_back_exactly(p in person()) {
        prop_assert_eq!(parse(&p.qr("|")).unwrap(), p.card.clone());
        prop_assert_eq!(kind_of(&p.qr("|")), ScanKind::IdCard);
    }

    #[test]
    fn a_replaced_or_lost_separator_reads_back_exactly(
        p in person(),
        sep in pick(&["~", "#", "¦", ">", "\\", ",", ";", "!", "§", "^", "*", "", " "]),
    ) {
        prop_assert_eq!(parse(&p.qr(sep)).unwrap(), p.card.clone());
    }

    #[test]
    fn question_marks_keep_every_digit_and_flag_the_text(p in person()) {
        let card = parse(&question_marks(&p.qr("|"))).unwrap();
        prop_assert_eq!(&card.id_number, &p.card.id_number);
        prop_assert_eq!(&card.old_id, &p.card.old_id);
        prop_assert_eq!(card.birth_date, p.card.birth_date);
        prop_assert_eq!(card.issued_on, p.card.issued_on);
        prop_assert_eq!(card.sex, p.card.sex);
        prop_assert_eq!(card.suspect, vec![CardField::Name, CardField::Address]);
    }

    #[test]
    fn mojibake_is_undone_but_still_flagged(p in person()) {
        let card = parse(&latin1_mojibake(&p.qr("|"))).unwrap();
        prop_assert_eq!(&card.name, &p.card.name);
        prop_assert_eq!(&card.address, &p.card.address);
        prop_assert_eq!(card.suspect, vec![CardField::Name, CardField::Address]);
    }
}
