//! The optional text layer: Tesseract with its Vietnamese data (`vie`) reads a stored PDF's
//! page images and writes the same pages again with invisible text over them, so the paper
//! can be searched and its words copied. Only PDFs of scanned pages are read (one image a
//! page, no text yet: the desk's own JPEG or black-and-white pages, or a copier's); anything
//! else is left as it is. Without Tesseract or its `vie` data nothing happens: the desk works
//! the same, and the supervisor's status says why there is no text.
//!
//! Tesseract gets each page's image as it is stored (a JPEG's bytes unchanged, which its PDF
//! output embeds again as they are; a black-and-white page as PBM, which it stores as CCITT
//! G4), at the page's own resolution, one thread, at the lowest priority.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde::Serialize;

use super::sane::WorkDir;

/// The program's name, or a full path to it in `MOTCUA_TESSERACT` (an installation outside
/// the PATH, as Windows' installer makes).
pub const TESSERACT_ENV: &str = "MOTCUA_TESSERACT";

/// Tesseract's name for its Vietnamese data.
pub const VIETNAMESE: &str = "vie";

/// Whether text layers can be made on this machine.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum Availability {
    Ready {
        program: String,
    },
    /// The program was not found (or did not run).
    NoProgram {
        program: String,
    },
    /// The program runs but has no Vietnamese data (`tesseract-ocr-vie`).
    NoVietnamese {
        program: String,
    },
}

impl Availability {
    pub fn is_ready(&self) -> bool {
        matches!(self, Availability::Ready { .. })
    }
}

/// The program to run: `MOTCUA_TESSERACT` when set, else Windows' usual installation when it
/// is there, else `tesseract` from the PATH.
pub fn program() -> PathBuf {
    if let Some(set) = std::env::var_os(TESSERACT_ENV).filter(|s| !s.is_empty()) {
        return PathBuf::from(set);
    }
    #[cfg(windows)]
    {
        let installed = Path::new(r"C:\Program Files\Tesseract-OCR\tesseract.exe");
        if installed.is_file() {
            return installed.to_path_buf();
        }
    }
    PathBuf::from("tesseract")
}

/// A command that shows no console window on Windows and runs below the desk's priority.
fn quiet(program: &Path) -> Command {
    #[cfg(windows)]
    {
        use std::os::windows::process::CommandExt;
        const CREATE_NO_WINDOW: u32 = 0x0800_0000;
        const BELOW_NORMAL_PRIORITY_CLASS: u32 = 0x0000_4000;
        let mut c = Command::new(program);
        c.creation_flags(CREATE_NO_WINDOW | BELOW_NORMAL_PRIORITY_CLASS);
        c
    }
    #[cfg(not(windows))]
    {
        Command::new(program)
    }
}

/// Asks the program which languages it has (`--list-langs`).
pub fn detect() -> Availability {
    detect_with(&program())
}

/// As `detect`, for a program named here.
pub fn detect_with(path: &Path) -> Availability {
    let program = path.display().to_string();
    let Ok(out) = quiet(path).arg("--list-langs").output() else {
        return Availability::NoProgram { program };
    };
    // Tesseract 4 printed the list on stderr, 5 on stdout.
    let said = [out.stdout, out.stderr].concat();
    let has_vie = String::from_utf8_lossy(&said)
        .lines()
        .any(|l| l.trim() == VIETNAMESE);
    match (out.status.success(), has_vie) {
        (_, true) => Availability::Ready { program },
        (true, false) => Availability::NoVietnamese { program },
        (false, false) => Availability::NoProgram { program },
    }
}

/// What reading a stored PDF came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextLayer {
    /// The same pages with their text: the new PDF's bytes and pages.
    Made { bytes: Vec<u8>, pages: u32 },
    /// Not a PDF of scanned pages this can read (why, in a few words): kept as it is.
    NotScannedPages(String),
}

/// One page's image as Tesseract reads it, and the page's width in points.
struct PageFile {
    name: &'static str,
    data: Vec<u8>,
    dpi: u32,
    width_pt: f64,
}

fn number(o: &lopdf::Object) -> Option<f64> {
    match o {
        lopdf::Object::Integer(i) => Some(*i as f64),
        lopdf::Object::Real(r) => Some(f64::from(*r)),
        _ => None,
    }
}

/// The page's width in points, from its own MediaBox (the desk's and copiers' PDFs put it on
/// each page).
fn page_width(doc: &lopdf::Document, page: lopdf::ObjectId) -> Option<f64> {
    let dict = doc.get_dictionary(page).ok()?;
    let bx = dict.get(b"MediaBox").ok()?.as_array().ok()?;
    let x0 = number(bx.first()?)?;
    let x1 = number(bx.get(2)?)?;
    Some((x1 - x0).abs()).filter(|w| *w > 0.0)
}

/// A black-and-white page (1 = white, as the PDF's grey has it) as PBM (1 = black).
fn pbm(bits: &[u8], width: u32, height: u32) -> Option<Vec<u8>> {
    let row = width.div_ceil(8) as usize;
    if bits.len() < row * height as usize {
        return None;
    }
    let mut out = format!("P4\n{width} {height}\n").into_bytes();
    out.extend(bits[..row * height as usize].iter().map(|b| !b));
    Some(out)
}

/// Each page's one image, or why this PDF is not one of scanned pages.
fn page_files(pdf: &[u8]) -> Result<Vec<PageFile>, String> {
    let doc = lopdf::Document::load_mem(pdf).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (n, page) in doc.get_pages() {
        if doc.get_page_fonts(page).is_ok_and(|f| !f.is_empty()) {
            return Err(format!("page {n} already has text"));
        }
        let images = doc.get_page_images(page).map_err(|e| e.to_string())?;
        let [image] = images.as_slice() else {
            return Err(format!("page {n} is not one image"));
        };
        let width_pt =
            page_width(&doc, page).ok_or_else(|| format!("page {n} has no MediaBox of its own"))?;
        let (Ok(w), Ok(h)) = (u32::try_from(image.width), u32::try_from(image.height)) else {
            return Err(format!("page {n}: image size"));
        };
        let filters = image.filters.clone().unwrap_or_default();
        let space = image.color_space.as_deref().unwrap_or_default();
        let plain = image.origin_dict.get(b"Decode").is_err()
            && image.origin_dict.get(b"DecodeParms").is_err()
            && image.origin_dict.get(b"SMask").is_err();
        let (name, data) = match (filters.as_slice(), image.bits_per_component, space, plain) {
            ([f], Some(8), "DeviceGray" | "DeviceRGB", true) if f == "DCTDecode" => {
                ("jpg", image.content.to_vec())
            }
            ([f], Some(1), "DeviceGray", true) if f == "FlateDecode" => {
                let mut bits = Vec::new();
                flate2::read::ZlibDecoder::new(image.content)
                    .read_to_end(&mut bits)
                    .map_err(|e| format!("page {n}: {e}"))?;
                let data = pbm(&bits, w, h).ok_or_else(|| format!("page {n}: short image"))?;
                ("pbm", data)
            }
            _ => return Err(format!("page {n}: an image this does not read")),
        };
        // The image fills the page: its resolution is its pixels over the page's inches.
        let dpi = (f64::from(w) / (width_pt / 72.0)).round() as u32;
        out.push(PageFile {
            name,
            data,
            dpi,
            width_pt,
        });
    }
    if out.is_empty() {
        return Err("no pages".into());
    }
    Ok(out)
}

/// The last thing Tesseract said that is not its progress.
fn complaint(stderr: &[u8]) -> String {
    String::from_utf8_lossy(stderr)
        .lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty() && !l.starts_with("Page ") && !l.starts_with("Tesseract"))
        .unwrap_or("no output")
        .to_string()
}

/// Runs Tesseract once over all of the PDF's page images (in order, one after another: a
/// list file) and returns its PDF, checked to have the same pages of the same size.
/// `Err` is a failure to record (the program failed, or wrote something unlike the input).
pub fn make_text_layer(program: &Path, pdf: &[u8]) -> Result<TextLayer, String> {
    let pages = match page_files(pdf) {
        Ok(pages) => pages,
        Err(why) => return Ok(TextLayer::NotScannedPages(why)),
    };
    let dpi = pages[0].dpi;
    if pages.iter().any(|p| p.dpi.abs_diff(dpi) > 1) {
        return Ok(TextLayer::NotScannedPages(
            "pages of different resolutions".into(),
        ));
    }
    let work = WorkDir::new().map_err(|e| e.to_string())?;
    let mut list = String::new();
    for (i, page) in pages.iter().enumerate() {
        let path = work.0.join(format!("p{}.{}", i + 1, page.name));
        std::fs::write(&path, &page.data).map_err(|e| e.to_string())?;
        list.push_str(&format!("{}\n", path.display()));
    }
    let list_file = work.0.join("pages.txt");
    std::fs::write(&list_file, list).map_err(|e| e.to_string())?;
    let base = work.0.join("out");
    let args = |c: &mut Command| {
        c.arg(&list_file)
            .arg(&base)
            .args(["-l", VIETNAMESE, "--dpi", &dpi.to_string(), "pdf"])
            // One thread: the desk's own work comes first.
            .env("OMP_THREAD_LIMIT", "1");
    };
    let output = if cfg!(unix) {
        let mut niced = Command::new("nice");
        niced.args(["-n", "19"]).arg(program);
        args(&mut niced);
        match niced.output() {
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let mut plain = quiet(program);
                args(&mut plain);
                plain.output()
            }
            other => other,
        }
    } else {
        let mut plain = quiet(program);
        args(&mut plain);
        plain.output()
    }
    .map_err(|e| format!("{}: {e}", program.display()))?;
    let made = std::fs::read(work.0.join("out.pdf"))
        .ok()
        .filter(|b| !b.is_empty());
    let bytes = match (output.status.success(), made) {
        (true, Some(bytes)) => bytes,
        _ => return Err(complaint(&output.stderr)),
    };
    let doc = lopdf::Document::load_mem(&bytes).map_err(|e| format!("tesseract's PDF: {e}"))?;
    let made_pages = doc.get_pages();
    if made_pages.len() != pages.len() {
        return Err(format!(
            "tesseract's PDF has {} pages, not {}",
            made_pages.len(),
            pages.len()
        ));
    }
    for ((n, page), given) in made_pages.into_iter().zip(&pages) {
        let width = page_width(&doc, page).unwrap_or_default();
        if (width - given.width_pt).abs() > given.width_pt * 0.02 {
            return Err(format!(
                "page {n} came back {width:.0} pt wide, not {:.0}",
                given.width_pt
            ));
        }
    }
    Ok(TextLayer::Made {
        bytes,
        pages: pages.len() as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{page_from_image, pdf_of_pages};
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let img = image::GrayImage::from_fn(width, height, |x, _| image::Luma([(x % 256) as u8]));
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn the_desks_own_pages_are_read_back_as_they_are_stored() {
        let jpeg = page_from_image(&png(400, 500), Some(200.0), false).unwrap();
        let bilevel = page_from_image(&png(400, 500), Some(200.0), true).unwrap();
        let pdf = pdf_of_pages(&[jpeg.clone(), bilevel]);
        let pages = page_files(&pdf).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!((pages[0].name, pages[0].dpi), ("jpg", 200));
        assert_eq!(
            pages[0].data, jpeg.data,
            "the JPEG is given as it is stored"
        );
        assert_eq!((pages[1].name, pages[1].dpi), ("pbm", 200));
        // PBM: 1 is black; the grey ramp's left eighth is dark.
        let header = b"P4\n400 500\n".len();
        assert_eq!(pages[1].data.len(), header + 50 * 500);
        assert_eq!(pages[1].data[header], 0xFF);
        assert_eq!(pages[1].data[header + 49], 0x00);
    }

    #[test]
    fn a_pdf_that_is_not_scanned_pages_is_left_alone() {
        // The desk's own page with a font added: a PDF that has text already.
        let page = page_from_image(&png(400, 500), Some(200.0), false).unwrap();
        let mut doc = lopdf::Document::load_mem(&pdf_of_pages(&[page])).unwrap();
        let mut font = lopdf::Dictionary::new();
        font.set("Type", lopdf::Object::Name(b"Font".to_vec()));
        font.set("Subtype", lopdf::Object::Name(b"Type1".to_vec()));
        font.set("BaseFont", lopdf::Object::Name(b"Helvetica".to_vec()));
        let font = doc.add_object(font);
        let mut fonts = lopdf::Dictionary::new();
        fonts.set("F1", font);
        let page_id = doc.get_pages()[&1];
        let resources = doc
            .get_dictionary(page_id)
            .unwrap()
            .get(b"Resources")
            .unwrap()
            .clone();
        let mut resources = match resources {
            lopdf::Object::Reference(id) => doc.get_dictionary(id).unwrap().clone(),
            lopdf::Object::Dictionary(d) => d,
            other => panic!("{other:?}"),
        };
        resources.set("Font", fonts);
        doc.get_dictionary_mut(page_id)
            .unwrap()
            .set("Resources", resources);
        let mut with_text = Vec::new();
        doc.save_to(&mut with_text).unwrap();
        match make_text_layer(Path::new("tesseract"), &with_text) {
            Ok(TextLayer::NotScannedPages(why)) => assert_eq!(why, "page 1 already has text"),
            other => panic!("{other:?}"),
        }
        match make_text_layer(Path::new("tesseract"), b"%PDF-1.4 broken") {
            Ok(TextLayer::NotScannedPages(_)) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_absent_program_is_told_apart() {
        assert_eq!(
            detect_with(Path::new("/nonexistent/tesseract")),
            Availability::NoProgram {
                program: "/nonexistent/tesseract".into()
            }
        );
    }
}
