//! Realistic sample citizens and dossiers for benchmarks and tests: Vietnamese names with
//! surnames as common as they are in the population, middle and given names that match the
//! person's sex, valid 12-digit citizen ID numbers, mobile numbers on real network prefixes,
//! and addresses in the provinces and communes of the 2025 two-level administration.
//!
//! Everything is drawn from a seeded generator, so the same seed gives the same people: a
//! benchmark on two machines searches the same names.

use chrono::{DateTime, Duration, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::handover::Rating;
use crate::intake::{ApplicantInput, IntakeRequest, ReturnInput, SubmitterInput};
use crate::procedure::Procedure;
use crate::status::Status;
use crate::text::fold;
use crate::vntime;

/// Surnames with their approximate share of the population, per mille.
const SURNAMES: &[(&str, u32)] = &[
    ("Nguyễn", 380),
    ("Trần", 110),
    ("Lê", 95),
    ("Phạm", 70),
    ("Hoàng", 31),
    ("Huỳnh", 20),
    ("Phan", 45),
    ("Vũ", 20),
    ("Võ", 19),
    ("Đặng", 21),
    ("Bùi", 20),
    ("Đỗ", 14),
    ("Hồ", 13),
    ("Ngô", 13),
    ("Dương", 10),
    ("Lý", 5),
    ("Đinh", 5),
    ("Trương", 5),
    ("Đoàn", 4),
    ("Trịnh", 3),
    ("Lương", 3),
    ("Mai", 3),
    ("Lâm", 3),
    ("Hà", 3),
    ("Tạ", 2),
    ("Cao", 2),
    ("Lưu", 2),
    ("Tô", 2),
    ("Châu", 1),
    ("Quách", 1),
    ("Kiều", 1),
    ("Thái", 1),
    ("Triệu", 1),
    ("Chu", 1),
    ("La", 1),
];

/// Middle names, the first one most common (Văn and Thị dominate older generations).
const MALE_MIDDLE: &[(&str, u32)] = &[
    ("Văn", 300),
    ("Hữu", 50),
    ("Đức", 60),
    ("Minh", 80),
    ("Quốc", 50),
    ("Thanh", 40),
    ("Công", 40),
    ("Xuân", 25),
    ("Hoàng", 40),
    ("Gia", 30),
    ("Tuấn", 20),
    ("Ngọc", 20),
    ("Trọng", 30),
    ("Quang", 35),
    ("Duy", 25),
    ("Đình", 35),
    ("Bá", 10),
    ("Nhật", 20),
    ("Bảo", 25),
    ("Anh", 20),
    ("Thành", 20),
];

const FEMALE_MIDDLE: &[(&str, u32)] = &[
    ("Thị", 380),
    ("Ngọc", 70),
    ("Thu", 45),
    ("Thanh", 45),
    ("Minh", 30),
    ("Phương", 25),
    ("Thúy", 20),
    ("Kim", 30),
    ("Mai", 15),
    ("Hoài", 15),
    ("Bảo", 25),
    ("Khánh", 20),
    ("Diệu", 10),
    ("Quỳnh", 15),
    ("Hồng", 20),
    ("Mỹ", 20),
    ("Bích", 15),
    ("Thùy", 20),
    ("Hải", 10),
    ("Như", 15),
];

const MALE_GIVEN: &[&str] = &[
    "An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hòa",
    "Hoàng", "Hùng", "Huy", "Khang", "Khánh", "Khoa", "Kiên", "Long", "Lâm", "Lộc", "Minh", "Nam",
    "Nghĩa", "Phát", "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Tâm", "Thắng", "Thành",
    "Thịnh", "Tiến", "Toàn", "Trí", "Trung", "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưng", "Lực",
    "Nhân", "Thiện", "Hậu",
];

const FEMALE_GIVEN: &[&str] = &[
    "Anh", "Ánh", "Châu", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hiền", "Hoa",
    "Hồng", "Hương", "Huyền", "Lan", "Liên", "Linh", "Loan", "Ly", "Mai", "My", "Nga", "Ngân",
    "Ngọc", "Nhung", "Oanh", "Phương", "Quyên", "Tâm", "Thảo", "Thư", "Thủy", "Trang", "Trâm",
    "Tuyết", "Uyên", "Vân", "Vy", "Xuân", "Yến", "Nhi", "Hân", "Thơ",
];

/// The 34 provinces and centrally-run cities (from 1 July 2025) with their citizen-ID
/// province codes (the first three digits of a CCCD), and communes or wards in each.
const PROVINCES: &[(&str, &str, &[&str])] = &[
    (
        "Thành phố Hà Nội",
        "001",
        &[
            "phường Ba Đình",
            "phường Hoàn Kiếm",
            "phường Cầu Giấy",
            "xã Sóc Sơn",
            "xã Đông Anh",
        ],
    ),
    (
        "Thành phố Hồ Chí Minh",
        "079",
        &[
            "phường Sài Gòn",
            "phường Bến Thành",
            "phường Tân Định",
            "xã Củ Chi",
            "xã Bình Chánh",
            "phường Thủ Đức",
        ],
    ),
    (
        "Thành phố Hải Phòng",
        "031",
        &["phường Hồng Bàng", "phường Lê Chân", "xã An Lão"],
    ),
    (
        "Thành phố Đà Nẵng",
        "048",
        &["phường Hải Châu", "phường Sơn Trà", "xã Hòa Vang"],
    ),
    (
        "Thành phố Cần Thơ",
        "092",
        &["phường Ninh Kiều", "phường Cái Răng", "xã Phong Điền"],
    ),
    (
        "Thành phố Huế",
        "046",
        &["phường Thuận Hóa", "phường Phú Xuân", "xã Phú Vang"],
    ),
    (
        "tỉnh Tây Ninh",
        "072",
        &[
            "xã Hướng Thọ Phú",
            "phường Long An",
            "phường Tân Ninh",
            "xã Mỹ Yên",
            "xã Cần Giuộc",
            "phường Kiến Tường",
        ],
    ),
    (
        "tỉnh Đồng Nai",
        "075",
        &[
            "phường Trấn Biên",
            "phường Biên Hòa",
            "xã Long Thành",
            "phường Bình Phước",
        ],
    ),
    (
        "tỉnh Vĩnh Long",
        "086",
        &[
            "phường Thanh Đức",
            "phường Bến Tre",
            "phường Trà Vinh",
            "xã Cái Nhum",
        ],
    ),
    (
        "tỉnh Đồng Tháp",
        "087",
        &["phường Cao Lãnh", "phường Mỹ Tho", "xã Tháp Mười"],
    ),
    (
        "tỉnh An Giang",
        "089",
        &["phường Long Xuyên", "phường Rạch Giá", "xã Châu Thành"],
    ),
    (
        "tỉnh Cà Mau",
        "096",
        &["phường An Xuyên", "phường Bạc Liêu", "xã Năm Căn"],
    ),
    (
        "tỉnh Lâm Đồng",
        "068",
        &[
            "phường Xuân Hương - Đà Lạt",
            "phường Bảo Lộc",
            "xã Đức Trọng",
        ],
    ),
    (
        "tỉnh Khánh Hòa",
        "056",
        &["phường Nha Trang", "phường Cam Ranh", "xã Diên Khánh"],
    ),
    (
        "tỉnh Đắk Lắk",
        "066",
        &["phường Buôn Ma Thuột", "phường Tuy Hòa", "xã Krông Pắc"],
    ),
    (
        "tỉnh Gia Lai",
        "064",
        &["phường Pleiku", "phường Quy Nhơn", "xã Chư Sê"],
    ),
    (
        "tỉnh Quảng Ngãi",
        "051",
        &["phường Cẩm Thành", "phường Kon Tum", "xã Bình Sơn"],
    ),
    (
        "tỉnh Quảng Trị",
        "045",
        &["phường Đông Hà", "phường Đồng Hới", "xã Vĩnh Linh"],
    ),
    (
        "tỉnh Hà Tĩnh",
        "042",
        &["phường Thành Sen", "xã Cẩm Xuyên", "xã Hương Sơn"],
    ),
    (
        "tỉnh Nghệ An",
        "040",
        &["phường Trường Vinh", "xã Diễn Châu", "xã Quỳnh Lưu"],
    ),
    (
        "tỉnh Thanh Hóa",
        "038",
        &["phường Hạc Thành", "phường Sầm Sơn", "xã Hoằng Hóa"],
    ),
    (
        "tỉnh Ninh Bình",
        "037",
        &["phường Hoa Lư", "phường Nam Định", "phường Phủ Lý"],
    ),
    (
        "tỉnh Hưng Yên",
        "033",
        &["phường Phố Hiến", "phường Thái Bình", "xã Văn Giang"],
    ),
    (
        "tỉnh Bắc Ninh",
        "027",
        &["phường Kinh Bắc", "phường Bắc Giang", "xã Tiên Du"],
    ),
    (
        "tỉnh Phú Thọ",
        "025",
        &["phường Việt Trì", "phường Vĩnh Yên", "phường Hòa Bình"],
    ),
    (
        "tỉnh Thái Nguyên",
        "019",
        &["phường Phan Đình Phùng", "phường Đức Xuân", "xã Đại Từ"],
    ),
    (
        "tỉnh Tuyên Quang",
        "008",
        &["phường Minh Xuân", "phường Hà Giang 1", "xã Yên Sơn"],
    ),
    (
        "tỉnh Lào Cai",
        "010",
        &["phường Lào Cai", "phường Yên Bái", "xã Sa Pa"],
    ),
    ("tỉnh Cao Bằng", "004", &["phường Thục Phán", "xã Hòa An"]),
    ("tỉnh Lạng Sơn", "020", &["phường Đông Kinh", "xã Cao Lộc"]),
    (
        "tỉnh Quảng Ninh",
        "022",
        &["phường Hạ Long", "phường Cẩm Phả", "phường Móng Cái 1"],
    ),
    ("tỉnh Sơn La", "014", &["phường Tô Hiệu", "xã Mộc Châu"]),
    (
        "tỉnh Điện Biên",
        "011",
        &["phường Điện Biên Phủ", "xã Mường Ảng"],
    ),
    (
        "tỉnh Lai Châu",
        "012",
        &["phường Tân Phong", "xã Tam Đường"],
    ),
];

/// Index into `PROVINCES` of the home province: most applicants at a commune's desk live there.
const HOME_PROVINCE: usize = 6;
const HOME_SHARE: f64 = 0.7;

const HAMLETS: &[&str] = &[
    "ấp Bình Hòa",
    "ấp Bình Thủy",
    "ấp Phước Lợi",
    "ấp Tân Hòa",
    "ấp Long Thạnh",
    "ấp Mỹ Phú",
    "ấp Đông",
    "ấp Tây",
    "thôn Đông",
    "thôn Đoài",
    "thôn Thượng",
    "thôn Hạ",
    "thôn 3",
    "thôn 5",
    "khu phố 1",
    "khu phố 4",
    "khu phố 7",
    "tổ dân phố 12",
    "tổ dân phố 3",
];

const STREETS: &[&str] = &[
    "Nguyễn Trãi",
    "Lê Lợi",
    "Trần Hưng Đạo",
    "Hai Bà Trưng",
    "Quang Trung",
    "Lý Thường Kiệt",
    "Nguyễn Huệ",
    "Phan Chu Trinh",
    "Hùng Vương",
    "Võ Văn Tần",
    "Điện Biên Phủ",
    "Cách Mạng Tháng Tám",
];

/// Mobile prefixes of the networks (Viettel, VinaPhone, MobiFone, Vietnamobile, Gmobile).
const MOBILE_PREFIXES: &[&str] = &[
    "086", "096", "097", "098", "032", "033", "034", "035", "036", "037", "038", "039", "088",
    "091", "094", "081", "082", "083", "084", "085", "089", "090", "093", "070", "076", "077",
    "078", "079", "092", "056", "058", "099", "059",
];

/// One sample person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub name: String,
    pub female: bool,
    pub birth_year: i32,
    /// 12 digits: province, sex and century, year of birth, then six digits.
    pub id_number: String,
    /// National form, ten digits.
    pub phone: String,
    pub email: String,
    pub address: String,
    pub commune: String,
    pub province: String,
}

/// What happened to a sample dossier after it was received, up to a given moment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Status changes in order of time, each allowed after the one before.
    pub steps: Vec<(DateTime<Utc>, Status)>,
    /// The citizen's rating, given when the result was handed over.
    pub rating: Option<Rating>,
}

/// A seeded source of sample people and dossiers.
pub struct Sampler {
    rng: StdRng,
}

fn weighted<'a>(rng: &mut StdRng, table: &[(&'a str, u32)]) -> &'a str {
    let total: u32 = table.iter().map(|(_, w)| w).sum();
    let mut pick = rng.gen_range(0..total.max(1));
    for (item, w) in table {
        if pick < *w {
            return item;
        }
        pick -= w;
    }
    table.first().map(|(s, _)| *s).unwrap_or_default()
}

fn one<'a>(rng: &mut StdRng, list: &[&'a str]) -> &'a str {
    list[rng.gen_range(0..list.len())]
}

impl Sampler {
    pub fn new(seed: u64) -> Sampler {
        Sampler {
            rng: StdRng::seed_from_u64(seed),
        }
    }

    /// A full name: surname, one or (one in eight) two middle names, and a given name.
    pub fn name(&mut self, female: bool) -> String {
        let surname = weighted(&mut self.rng, SURNAMES);
        let (middles, given) = if female {
            (FEMALE_MIDDLE, FEMALE_GIVEN)
        } else {
            (MALE_MIDDLE, MALE_GIVEN)
        };
        let middle = weighted(&mut self.rng, middles);
        let mut name = format!("{surname} {middle}");
        if self.rng.gen_bool(0.125) {
            let second = weighted(&mut self.rng, middles);
            if second != middle && second != "Văn" && second != "Thị" {
                name.push(' ');
                name.push_str(second);
            }
        }
        let mut first = one(&mut self.rng, given);
        if first == middle {
            first = one(&mut self.rng, given);
        }
        name.push(' ');
        name.push_str(first);
        name
    }

    pub fn person(&mut self) -> Person {
        let female = self.rng.gen_bool(0.52);
        let name = self.name(female);
        // Adults, most of them of working age.
        let birth_year = self.rng.gen_range(1945..=2007);
        let (pi, province) = if self.rng.gen_bool(HOME_SHARE) {
            (HOME_PROVINCE, &PROVINCES[HOME_PROVINCE])
        } else {
            let i = self.rng.gen_range(0..PROVINCES.len());
            (i, &PROVINCES[i])
        };
        // Where a person was born (the ID's province code) is often, not always, where they live.
        let born_in = if self.rng.gen_bool(0.8) {
            PROVINCES[pi].1
        } else {
            PROVINCES[self.rng.gen_range(0..PROVINCES.len())].1
        };
        let century_sex = match (birth_year >= 2000, female) {
            (false, false) => 0,
            (false, true) => 1,
            (true, false) => 2,
            (true, true) => 3,
        };
        let id_number = format!(
            "{born_in}{century_sex}{:02}{:06}",
            birth_year % 100,
            self.rng.gen_range(0..1_000_000)
        );
        let phone = format!(
            "{}{:07}",
            one(&mut self.rng, MOBILE_PREFIXES),
            self.rng.gen_range(0..10_000_000)
        );
        let email = if self.rng.gen_bool(0.15) {
            format!(
                "{}{}@gmail.com",
                fold(&name).replace(' ', ""),
                birth_year % 100
            )
        } else {
            String::new()
        };
        let commune = one(&mut self.rng, province.2).to_string();
        let place = if self.rng.gen_bool(0.6) {
            format!(
                "Số {}, {}",
                self.rng.gen_range(1..200),
                one(&mut self.rng, HAMLETS)
            )
        } else {
            format!(
                "Số {}/{} đường {}",
                self.rng.gen_range(1..400),
                self.rng.gen_range(1..30),
                one(&mut self.rng, STREETS)
            )
        };
        let address = format!("{place}, {commune}, {}", province.0);
        Person {
            name,
            female,
            birth_year,
            id_number,
            phone,
            email,
            address,
            commune,
            province: province.0.to_string(),
        }
    }

    /// Picks one of `procedures`, the first ones more often (a catalog lists its busiest
    /// procedures first).
    pub fn procedure<'a>(&mut self, procedures: &'a [Procedure]) -> Option<&'a Procedure> {
        if procedures.is_empty() {
            return None;
        }
        let n = procedures.len();
        // Roughly Zipf: index i with weight 1/(i+1).
        let total: f64 = (1..=n).map(|i| 1.0 / i as f64).sum();
        let mut pick = self.rng.gen_range(0.0..total);
        for (i, p) in procedures.iter().enumerate() {
            pick -= 1.0 / (i + 1) as f64;
            if pick <= 0.0 {
                return Some(p);
            }
        }
        procedures.last()
    }

    /// An intake request as a desk would send it: the procedure's required documents, now
    /// and then someone submitting for the applicant, a return by post or an online channel.
    pub fn request(&mut self, procedure: &Procedure, received_at: DateTime<Utc>) -> IntakeRequest {
        let p = self.person();
        let submitter = self.rng.gen_bool(0.08).then(|| {
            let s = self.person();
            SubmitterInput {
                name: s.name,
                id_number: s.id_number,
                phone: s.phone,
            }
        });
        let return_method = if self.rng.gen_bool(0.05) {
            ReturnInput {
                method: "post".into(),
                recipient: String::new(),
                phone: p.phone.clone(),
                email: String::new(),
                address: p.address.clone(),
                commune: p.commune.clone(),
                province: p.province.clone(),
                cod_amount: 0,
            }
        } else {
            ReturnInput::default()
        };
        let channel = self.rng.gen_bool(0.2).then(|| "online".to_string());
        IntakeRequest {
            procedure: procedure.code.clone(),
            applicant: ApplicantInput {
                name: p.name,
                id_number: p.id_number,
                phone: p.phone,
                email: p.email,
                address: p.address,
            },
            submitter,
            documents: None,
            sets: 1,
            channel,
            return_method,
            received_at: Some(vntime::rfc3339_vn(received_at)),
            fee_vnd: None,
            note: String::new(),
            authority: String::new(),
            request_id: None,
        }
    }

    /// What became of a dossier received at `received` with appointment `due`, as far as
    /// `now`: most are processed and returned, a few early, most on the appointed day, some
    /// late; a few are withdrawn or stopped; the latest are still in progress.
    pub fn history(
        &mut self,
        received: DateTime<Utc>,
        due: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> History {
        let mut steps = Vec::new();
        let span = (due - received).max(Duration::minutes(30));
        let processing = received + Duration::minutes(self.rng.gen_range(5..60));
        let roll: f64 = self.rng.gen();
        if roll < 0.01 {
            steps.push((processing, Status::Withdrawn));
        } else if roll < 0.015 {
            steps.push((processing, Status::Processing));
            steps.push((processing + span / 2, Status::Stopped));
        } else {
            steps.push((processing, Status::Processing));
            let ready = if self.rng.gen_bool(0.06) {
                due + Duration::hours(self.rng.gen_range(20..96))
            } else {
                let share = self.rng.gen_range(0.3..0.97);
                received + Duration::seconds((span.num_seconds() as f64 * share) as i64)
            };
            steps.push((ready.max(processing + Duration::minutes(1)), Status::Ready));
            if self.rng.gen_bool(0.93) {
                let returned = ready + Duration::hours(self.rng.gen_range(1..120));
                steps.push((returned, Status::Returned));
            }
        }
        steps.retain(|(at, _)| *at <= now);
        let rating = if steps.last().is_some_and(|(_, s)| *s == Status::Returned)
            && self.rng.gen_bool(0.7)
        {
            let r: f64 = self.rng.gen();
            Some(if r < 0.6 {
                Rating::VerySatisfied
            } else if r < 0.95 {
                Rating::Satisfied
            } else {
                Rating::Unsatisfied
            })
        } else {
            None
        };
        History { steps, rating }
    }

    /// A number below `n`, for callers that spread their own samples.
    pub fn below(&mut self, n: u64) -> u64 {
        self.rng.gen_range(0..n.max(1))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::allowed;
    use crate::validate::{is_id_number, normalize_phone, Checker};

    #[test]
    fn people_pass_the_intake_checks() {
        let mut s = Sampler::new(7);
        for _ in 0..2000 {
            let p = s.person();
            let mut c = Checker::new();
            c.person_name("name", &p.name, true);
            c.line("address", &p.address, true, crate::validate::MAX_ADDRESS);
            c.email("email", &p.email);
            assert!(c.is_ok(), "{p:?}: {:?}", c.errors);
            assert!(is_id_number(&p.id_number), "{}", p.id_number);
            assert_eq!(normalize_phone(&p.phone).as_deref(), Some(p.phone.as_str()));
            let words = p.name.split(' ').count();
            assert!((3..=4).contains(&words), "{}", p.name);
        }
    }

    #[test]
    fn id_numbers_carry_sex_and_century() {
        let mut s = Sampler::new(11);
        for _ in 0..500 {
            let p = s.person();
            let digit = p.id_number.as_bytes()[3] - b'0';
            let expected = u8::from(p.female) + if p.birth_year >= 2000 { 2 } else { 0 };
            assert_eq!(digit, expected, "{p:?}");
            assert_eq!(&p.id_number[4..6], format!("{:02}", p.birth_year % 100));
        }
    }

    #[test]
    fn surnames_follow_the_population() {
        let mut s = Sampler::new(3);
        let n = 20_000;
        let nguyen = (0..n)
            .filter(|_| s.person().name.starts_with("Nguyễn "))
            .count();
        let share = nguyen as f64 / n as f64;
        assert!((0.33..0.43).contains(&share), "{share}");
    }

    #[test]
    fn the_same_seed_gives_the_same_people() {
        let (mut a, mut b) = (Sampler::new(42), Sampler::new(42));
        for _ in 0..50 {
            assert_eq!(a.person(), b.person());
        }
    }

    #[test]
    fn histories_follow_the_allowed_transitions() {
        let mut s = Sampler::new(5);
        let received = vntime::now();
        for i in 0..2000 {
            let due = received + Duration::days(i % 7);
            let h = s.history(received, due, received + Duration::days(30));
            let mut at = received;
            let mut status = Status::Accepted;
            for (t, next) in &h.steps {
                assert!(allowed(status, *next), "{status:?} -> {next:?}");
                assert!(*t >= at);
                (at, status) = (*t, *next);
            }
            assert!(h.rating.is_none() || status == Status::Returned);
        }
    }
}
